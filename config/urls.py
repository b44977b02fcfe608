from django.contrib import admin
from django.urls import include, path

from harbour.api.urls import api
from harbour.children import views as children_views

urlpatterns = [
    path("", include("harbour.core.urls")),
    path("accounts/", include("harbour.accounts.urls")),
    path("children/", include("harbour.children.urls")),
    path("search/", children_views.search, name="search"),
    path("referrals/", include("harbour.referrals.urls")),
    path("shared/", include("harbour.referrals.urls_shared")),
    path("allocation/", include("harbour.allocation.urls")),
    path("placements/", include("harbour.placements.urls")),
    path("returns/", include("harbour.returns.views")),
    path("reviews/", include("harbour.reviews.urls")),
    path("uasc/", include("harbour.uasc.urls")),
    path("leaving-care/", include("harbour.leaving_care.urls")),
    path("forecasting/", include("harbour.forecasting.urls")),
    path("retention/", include("harbour.retention.urls")),
    path("documents/", include("harbour.documents.urls")),
    path("merges/", include("harbour.merging.urls")),
    path("board/", include("harbour.reporting.board.views")),
    path("performance/", include("harbour.reporting.views")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "harbour.core.errors.not_found"
handler403 = "harbour.core.errors.forbidden"
handler500 = "harbour.core.errors.server_error"
