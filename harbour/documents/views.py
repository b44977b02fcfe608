"""Documents on a child's record: the list and upload form, and the access-checked download."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from harbour.accounts import access
from harbour.children.models import Child
from harbour.children.views import child_nav

from . import services, storage
from .forms import DocumentForm
from .models import Document


def _open(request: HttpRequest, child_id: Any, route: str, purpose: str = "") -> Child:
    # Partners see only what their agency is sent; documents are not part of it.
    if access.is_partner(request.user):
        raise Http404("No child found")
    return access.access_child(request.user, child_id, route=route, request_id=getattr(request, "request_id", ""),
                               purpose=purpose)


@login_required
@require_http_methods(["GET", "POST"])
def child_documents(request: HttpRequest, child_id: Any) -> HttpResponse:
    child = _open(request, child_id, "documents:child", purpose="upload" if request.method == "POST" else "")
    may_upload = access.may_edit_child(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None) if may_upload else None
    if request.method == "POST":
        if form is None:
            raise Http404("No child found")
        if form.is_valid():
            services.add_document(actor=request.user, child=child, kind=form.cleaned_data["kind"],
                                  upload=form.cleaned_data["file"], content_type=form.sniffed_type,
                                  request_id=getattr(request, "request_id", ""))
            return redirect("documents:child", child.pk)
    documents = Document.objects.filter(child=child).select_related("uploaded_by")
    return render(request, "documents/child.html", {
        "child": child, "documents": documents, "form": form, "page_title": "Documents",
        "child_nav": child_nav(child, "documents:child"),
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


@login_required
@require_GET
def download(request: HttpRequest, document_id: uuid.UUID) -> FileResponse:
    document = Document.objects.filter(pk=document_id).only("child_id").first()
    if document is None:
        raise Http404("No child found")
    # The same 404 for a document that does not exist and one on a child outside the user's scope.
    _open(request, document.child_id, "documents:download", purpose="download")
    document = Document.objects.get(pk=document_id)
    response = FileResponse(storage.path_of(document.stored_name).open("rb"), as_attachment=True,
                            filename=document.original_name, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
