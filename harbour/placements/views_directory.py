"""The provider directory pages: the list with its filters, a provider, adding and changing one,
updating vacancies (the placements team, and a provider's own staff for their own), and the
matching settings.

Thin, like every page: check the role, hand the form to `services_directory`, then redirect or
render (422 with the error summary when something is wrong). A page a role may not use, a
provider that does not exist and one the user may not see all answer the same 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors_directory as selectors
from . import services_directory as services
from .codes import Need
from .forms_directory import DirectoryFilterForm, MatchingSettingsForm, ProviderForm, VacanciesForm
from .models import MatchingSettings, Provider


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _require(allowed: bool) -> None:
    # A page the role may not use answers like a page that does not exist (security checklist 1).
    if not allowed:
        raise Http404("No provider found")


def _posted(request: HttpRequest) -> Any:
    # An empty POST is still a submitted form: it must get its error summary.
    return request.POST if request.method == "POST" else None


def _flash(request: HttpRequest) -> list[str]:
    return [str(m) for m in messages.get_messages(request)]


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _pagination(page: selectors.DirectoryPage, query: str) -> dict[str, Any] | None:
    """The GOV.UK pagination for the directory: first, last and the pages either side of this one."""
    if page.pages <= 1:
        return None
    base = f"?{query}&page=" if query else "?page="
    items: list[dict[str, Any]] = []
    for number in range(1, page.pages + 1):
        if number in {1, page.pages} or abs(number - page.page) <= 1:
            items.append({"number": number, "href": f"{base}{number}", "current": number == page.page})
        elif items and not items[-1].get("ellipsis"):
            items.append({"ellipsis": True})
    return {
        "items": items,
        "previous": {"href": f"{base}{page.page - 1}"} if page.page > 1 else None,
        "next": {"href": f"{base}{page.page + 1}"} if page.page < page.pages else None,
        "landmarkLabel": "Pages of providers",
    }


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    _require(services.may_see_directory(request.user))
    filter_form = DirectoryFilterForm(request.GET, areas=selectors.area_choices())
    filters = filter_form.filters()
    page = selectors.directory_page(filters, _page_number(request))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "placements/directory_list.html", {
        "filter_form": filter_form,
        "filters": filters,
        "page": page,
        "pagination": _pagination(page, query.urlencode()),
        "may_edit": services.may_edit_providers(request.user),
        "may_read_settings": services.may_read_matching_settings(request.user),
        "flash": _flash(request),
    })


@login_required
@require_GET
def provider_detail(request: HttpRequest, provider_id: Any) -> HttpResponse:
    provider = selectors.provider_for(request.user, provider_id)
    return render(request, "placements/directory_provider.html", {
        "provider": provider,
        "needs_met": [Need(code).label for code in provider.needs_met or () if code in Need.values],
        "requests": selectors.request_counts(provider),
        "may_edit": services.may_edit_providers(request.user),
        "may_update_vacancies": services.may_update_vacancies(request.user, provider),
        "flash": _flash(request),
    })


def _provider_form_page(request: HttpRequest, form: ProviderForm, provider: Provider | None,
                        stale: str = "", status: int = 200) -> HttpResponse:
    return render(request, "placements/provider_form.html", {
        "form": form, "provider": provider, "stale": stale, "has_errors": bool(stale),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    _require(services.may_edit_providers(request.user))
    form = ProviderForm(_posted(request), initial=ProviderForm.initial_for(None))
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(actor=request.user, details=form.details(), now=timezone.now(),
                                                request_id=_rid(request))
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            messages.success(request, f"{provider.name} added to the directory")
            return redirect("placements:directory_provider", provider.pk)
    return _provider_form_page(request, form, None, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_change(request: HttpRequest, provider_id: Any) -> HttpResponse:
    _require(services.may_edit_providers(request.user))
    provider = selectors.provider_for(request.user, provider_id)
    form = ProviderForm(_posted(request), initial=ProviderForm.initial_for(provider))
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, details=form.details(),
                                     version=form.cleaned_data.get("version") or 0, now=timezone.now(),
                                     request_id=_rid(request))
        except ValidationError as error:
            if "version" in error.message_dict:
                # Show the record as it is now, with the reason nothing was saved.
                provider.refresh_from_db()
                fresh = ProviderForm(initial=ProviderForm.initial_for(provider))
                return _provider_form_page(request, fresh, provider, stale=error.message_dict["version"][0],
                                           status=409)
            form.apply_service_errors(error)
        else:
            messages.success(request, f"{provider.name} changed")
            return redirect("placements:directory_provider", provider.pk)
    return _provider_form_page(request, form, provider, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def vacancies(request: HttpRequest, provider_id: Any) -> HttpResponse:
    provider = selectors.provider_for(request.user, provider_id, to_update_vacancies=True)
    staff = services.may_edit_providers(request.user)
    form = VacanciesForm(_posted(request), initial={"vacancies": provider.vacancies, "version": provider.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancies_update(actor=request.user, provider=provider, vacancies=form.cleaned_data["vacancies"],
                                      version=form.cleaned_data.get("version"), now=timezone.now(),
                                      request_id=_rid(request))
        except PermissionDenied as denied:
            raise Http404("No provider found") from denied
        except ValidationError as error:
            if "version" in error.message_dict:
                provider.refresh_from_db()
                form = VacanciesForm(initial={"vacancies": provider.vacancies, "version": provider.version})
                return render(request, "placements/vacancies.html", {
                    "provider": provider, "form": form, "stale": error.message_dict["version"][0],
                    "has_errors": True, "staff": staff, "flash": [],
                }, status=409)
            form.apply_service_errors(error)
        else:
            plural = "vacancy" if form.cleaned_data["vacancies"] == 1 else "vacancies"
            messages.success(request, f"Vacancies updated: {provider.name} has {form.cleaned_data['vacancies']} {plural}")
            return redirect("placements:directory_provider" if staff else "placements:directory_vacancies", provider.pk)
    return render(request, "placements/vacancies.html", {
        "provider": provider, "form": form, "stale": "", "staff": staff, "flash": _flash(request),
    }, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def matching_settings(request: HttpRequest) -> HttpResponse:
    _require(services.may_read_matching_settings(request.user))
    may_change = services.may_change_matching_settings(request.user)
    _require(may_change or request.method == "GET")
    settings = MatchingSettings.current()

    def initial() -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(settings, name) for name in services.WEIGHT_FIELDS}
        return {**values, "no_answer_hours": settings.no_answer_hours, "seen": settings.updated_at.isoformat()}

    form = MatchingSettingsForm(_posted(request), initial=initial())
    stale = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_update(
                actor=request.user, weights=form.weights(), no_answer_hours=form.cleaned_data["no_answer_hours"],
                seen_updated_at=form.seen_updated_at(), request_id=_rid(request))
        except ValidationError as error:
            if "version" in error.message_dict:
                stale = error.message_dict["version"][0]
            else:
                form.apply_service_errors(error)
        else:
            messages.success(request, "Matching settings saved")
            return redirect("placements:matching_settings")
    settings = MatchingSettings.objects.select_related("updated_by").get(pk=settings.pk)
    if stale:
        form = MatchingSettingsForm(initial=initial())  # the settings as they are now
    return render(request, "placements/matching_settings.html", {
        "settings": settings, "form": form, "may_change": may_change, "stale": stale, "has_errors": bool(stale),
        "weights": [(services.WEIGHT_LABELS[name], getattr(settings, name)) for name in services.WEIGHT_FIELDS],
        "flash": _flash(request),
    }, status=409 if stale else 422 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("providers/", directory, name="directory"),
    path("providers/new/", provider_new, name="directory_new"),
    path("providers/<str:provider_id>/", provider_detail, name="directory_provider"),
    path("providers/<str:provider_id>/change/", provider_change, name="directory_change"),
    path("providers/<str:provider_id>/vacancies/", vacancies, name="directory_vacancies"),
    path("settings/", matching_settings, name="matching_settings"),
]
