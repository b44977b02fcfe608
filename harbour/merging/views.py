"""Pages of merging (ADR 0019): a child's possible duplicates, proposing a merge with both records
side by side, and the merge record, where a manager who did not propose it confirms, declines or
undoes it. Partners and providers never reach these pages: they answer 404, as a child out of scope does."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harbour.accounts import access
from harbour.audit.services import log_access
from harbour.children.forms import apply_service_errors
from harbour.children.models import Child
from harbour.referrals.services_intake import possible_duplicates

from . import selectors, services
from .forms import ConfirmForm, DeclineForm, ProposeForm, UndoForm
from .models import ChildMerge

PURPOSE = "merging records of one child"


def _rid(request: HttpRequest) -> str:
    return getattr(request, "request_id", "")


def _route(request: HttpRequest) -> str:
    return request.resolver_match.view_name if request.resolver_match else request.path


def _staff(request: HttpRequest) -> Any:
    """Council staff who work on children's records. Everyone else (partners, providers,
    administrators) gets the same 404 as a child they may not see."""
    if not services.may_propose(request.user):
        raise Http404("No child found")
    return request.user


def _open(request: HttpRequest, child_id: Any) -> Child:
    return access.access_child(
        request.user, child_id, route=_route(request), request_id=_rid(request), purpose=PURPOSE
    )


def _facts(child: Child) -> Any:
    from harbour.domain.duplicates import PersonFacts

    names = tuple(
        child.names.exclude(kind__in=services.MIRRORED_NAME_KINDS).values_list("name", flat=True)
    )
    dates = tuple(
        sorted(
            set(child.dates_of_birth.values_list("date_of_birth", flat=True))
            | ({child.date_of_birth} if child.date_of_birth else set())
        )
    )
    return PersonFacts(
        given_names=child.given_names,
        family_name=child.family_name,
        other_names=names
        + ((child.names_in_original_script,) if child.names_in_original_script else ()),
        dates_of_birth=dates,
        home_office_reference=child.home_office_reference,
        port_reference=child.port_reference,
        nationality=child.nationality,
        sex=child.sex,
    )


@login_required
def possible(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Children on record who may be this child, found by the duplicate check, and the merges this
    record is part of."""
    user = _staff(request)
    child = _open(request, child_id)
    if request.method != "GET":
        # After the access check, so that a child out of sight answers 404 to every method.
        return HttpResponseNotAllowed(["GET"])
    return _possible_page(request, user, child)


def _possible_page(request: HttpRequest, user: Any, child: Child) -> HttpResponse:
    check = possible_duplicates(user=user, facts=_facts(child))
    candidates = [c for c in check.visible if c.child.pk != child.pk]
    hidden = check.hidden_count
    return render(
        request,
        "merging/possible.html",
        {
            "child": child,
            "candidates": candidates,
            "hidden_count": hidden,
            "merges": selectors.merges_of(child),
            "may_propose": services.may_propose(user),
            "flash": [str(m) for m in get_messages(request)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, child_id: Any) -> HttpResponse:
    """Both records side by side (check your answers), which to keep, and why they are one child.
    The other record is named by `?with=`; without it, the possible duplicates to choose from."""
    user = _staff(request)
    child = _open(request, child_id)
    other_id = request.GET.get("with", "")
    if not other_id:
        return _possible_page(request, user, child)
    other = _open(request, other_id)
    choices = [
        (str(child.pk), f"Keep {child.full_name}'s record (this one)"),
        (str(other.pk), f"Keep {other.full_name}'s record (the other one)"),
    ]
    form = ProposeForm(request.POST or None, choices=choices, initial={"keep": str(child.pk)})
    if request.method == "POST" and form.is_valid():
        kept, merged = (
            (child, other) if form.cleaned_data["keep"] == str(child.pk) else (other, child)
        )
        try:
            merge = services.propose_merge(
                actor=user,
                kept=kept,
                merged=merged,
                reason=form.cleaned_data["reason"],
                request_id=_rid(request),
            )
        except ValidationError as error:
            apply_service_errors(form, _as_form_errors(error, "keep"))
        else:
            messages.success(
                request,
                "Merge proposed. A team leader or team manager who is not you must confirm it.",
            )
            return redirect("merging:detail", merge.pk)
    return render(
        request,
        "merging/propose.html",
        {
            "child": child,
            "other": other,
            "form": form,
            "rows": selectors.side_by_side(child, other),
            "problems": services.merge_problems(child, other) if child.pk != other.pk else [],
            "moving_from_other": services.rows_to_move(other),
            "moving_from_child": services.rows_to_move(child),
        },
        status=422 if form.errors else 200,
    )


def _as_form_errors(error: ValidationError, field: str) -> ValidationError:
    """The service names the merged child or the merge; on the page those are about the whole
    proposal, shown at the top and linked to `field` where there is one."""
    renamed: dict[str, list[str]] = {}
    for key, found in error.message_dict.items():
        target = field if key in {"merged_child", "merge"} else key
        renamed.setdefault(target, []).extend(found)
    return ValidationError(renamed)


def _merge_for(request: HttpRequest, merge_id: uuid.UUID) -> tuple[ChildMerge, Child, Child]:
    """The merge, if this user may see the records it names; both reads are logged. Once merged,
    the merged-away record is seen through the kept one (nobody sees it on its own)."""
    _staff(request)
    merge = get_object_or_404(
        ChildMerge.objects.select_related("proposed_by", "decided_by", "undone_by"), pk=merge_id
    )
    kept = _open(request, merge.kept_id)
    if merge.state == ChildMerge.State.MERGED:
        merged = Child.unscoped.get(pk=merge.merged_id)
        log_access(
            user=request.user,
            child_id=merged.pk,
            route=_route(request),
            request_id=_rid(request),
            purpose=PURPOSE,
        )
    else:
        merged = _open(request, merge.merged_id)
    return merge, kept, merged


def _detail(
    request: HttpRequest,
    merge: ChildMerge,
    kept: Child,
    merged: Child,
    *,
    confirm_form: ConfirmForm | None = None,
    decline_form: DeclineForm | None = None,
    undo_form: UndoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    proposed = merge.state == ChildMerge.State.PROPOSED
    may_decide = services.may_decide(user) and merge.proposed_by_id != user.pk
    forms_with_errors = [
        f for f in (confirm_form, decline_form, undo_form) if f is not None and f.errors
    ]
    return render(
        request,
        "merging/detail.html",
        {
            "merge": merge,
            "kept": kept,
            "merged": merged,
            "rows": selectors.side_by_side(kept, merged),
            "problems": services.merge_problems(kept, merged) if proposed else [],
            "moving": services.rows_to_move(merged) if proposed else {},
            "moved": selectors.moved_counts(merge.moved_rows),
            "returned": selectors.moved_counts(merge.returned_rows),
            "missing": selectors.moved_counts(merge.missing_rows),
            "may_decide": proposed and may_decide,
            "may_undo": merge.state == ChildMerge.State.MERGED and services.may_decide(user),
            "confirm_form": confirm_form or ConfirmForm(),
            "decline_form": decline_form or DeclineForm(),
            "undo_form": undo_form or UndoForm(),
            "error_form": forms_with_errors[0] if forms_with_errors else None,
            "flash": [str(m) for m in get_messages(request)],
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    merge, kept, merged = _merge_for(request, merge_id)
    return _detail(request, merge, kept, merged)


@login_required
@require_POST
def confirm(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    merge, kept, merged = _merge_for(request, merge_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_merge(actor=request.user, merge=merge, request_id=_rid(request))
        except PermissionDenied:
            raise Http404("No child found") from None
        except ValidationError as error:
            apply_service_errors(form, _as_form_errors(error, "checked"))
        else:
            messages.success(
                request,
                f"Records merged. Everything on {merged.full_name}'s record is now on "
                f"{kept.full_name}'s record.",
            )
            return redirect("merging:detail", merge.pk)
    return _detail(request, merge, kept, merged, confirm_form=form, status=422)


@login_required
@require_POST
def decline(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    merge, kept, merged = _merge_for(request, merge_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_merge(
                actor=request.user,
                merge=merge,
                reason=form.cleaned_data["decline_reason"],
                request_id=_rid(request),
            )
        except PermissionDenied:
            raise Http404("No child found") from None
        except ValidationError as error:
            apply_service_errors(form, _as_form_errors(error, "decline_reason"))
        else:
            messages.success(request, "Merge declined. Both records stay as they are.")
            return redirect("merging:detail", merge.pk)
    return _detail(request, merge, kept, merged, decline_form=form, status=422)


@login_required
@require_POST
def undo(request: HttpRequest, merge_id: uuid.UUID) -> HttpResponse:
    merge, kept, merged = _merge_for(request, merge_id)
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            services.undo_merge(
                actor=request.user,
                merge=merge,
                reason=form.cleaned_data["undo_reason"],
                request_id=_rid(request),
            )
        except PermissionDenied:
            raise Http404("No child found") from None
        except ValidationError as error:
            apply_service_errors(form, _as_form_errors(error, "undo_reason"))
        else:
            messages.success(
                request, f"Merge undone. {merged.full_name}'s record is back as it was."
            )
            return redirect("merging:detail", merge.pk)
    return _detail(request, merge, kept, merged, undo_form=form, status=422)
