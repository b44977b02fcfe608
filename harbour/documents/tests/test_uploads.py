"""Uploads (security checklist 34): limited, sniffed, safely named, stored outside the served paths,
downloaded only through the access-checked view, as an attachment, with nosniff."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from harbour.accounts.models import PartnerAgency, Role
from harbour.accounts.tests.test_access import normalised
from harbour.audit.models import AccessLogEntry, AuditEvent
from harbour.children.models import Child, PeriodLookedAfter
from harbour.documents.forms import MAX_BYTES
from harbour.documents.models import Document
from harbour.retention import services as retention

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def docx(extra: dict[str, bytes] | None = None, *, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def documents_root(settings: Any, tmp_path: Path) -> Path:
    settings.HARBOUR_DOCUMENTS_ROOT = tmp_path / "documents"
    return tmp_path / "documents"


@pytest.fixture
def world(make_user: Any, make_child: Any, make_team: Any) -> dict[str, Any]:
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    return {"worker": worker, "child": make_child(social_worker=worker, given_names="Sentinelname"), "team": team}


def upload(client: Any, child: Any, content: bytes, name: str = "report.pdf", kind: str = "age_assessment",
           content_type: str = "application/pdf") -> Any:
    return client.post(f"/documents/children/{child.pk}/",
                       {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)})


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("content", "name", "expected_type", "expected_name"), [
    (PDF, "report.pdf", "application/pdf", "report.pdf"),
    (PNG, "scan.PNG", "image/png", "scan.png"),
    (JPEG, "photo.jpeg", "image/jpeg", "photo.jpg"),
    (docx(), "plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "plan.docx"),
    (PDF, "no-extension", "application/pdf", "no-extension.pdf"),
], ids=["pdf", "png", "jpeg", "docx", "pdf-without-extension"])
def test_an_allowed_file_is_stored_under_a_random_name_outside_the_served_paths(
        content, name, expected_type, expected_name, world, signed_in, documents_root):
    response = upload(signed_in(world["worker"]), world["child"], content, name=name)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.original_name, document.size) == (expected_type, expected_name,
                                                                              len(content))
    [path] = stored_files(documents_root)
    assert path.name == document.stored_name and len(document.stored_name) == 64
    assert path.read_bytes() == content
    assert "static" not in path.parts and "media" not in path.parts
    assert AuditEvent.objects.filter(record_type="documents.Document", record_id=str(document.pk),
                                     child_id=world["child"].pk).exists()


@pytest.mark.parametrize(("content", "name", "content_type", "message"), [
    (b"%PDF-" + b"0" * (MAX_BYTES - 4), "big.pdf", "application/pdf", "must be smaller than 10MB"),
    (b"<html><script>alert(1)</script></html>", "report.pdf", "application/pdf", "must be a PDF, PNG, JPEG or DOCX"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "x.png", "image/png",
     "must be a PDF, PNG, JPEG or DOCX"),
    (docx(word=False), "x.docx", "application/zip", "must be a PDF, PNG, JPEG or DOCX"),
    (b"PK\x03\x04 not really a zip", "x.docx", "application/zip", "must be a PDF, PNG, JPEG or DOCX"),
    (docx({"word/bomb.xml": b"0" * (101 * 1024 * 1024)}), "bomb.docx", "application/zip", "too complex to check"),
    (b"", "empty.pdf", "application/pdf", "The selected file is empty"),
], ids=["limit-plus-1-byte", "html-named-pdf", "svg-named-png", "zip-not-docx", "broken-zip", "zip-bomb", "empty"])
def test_a_file_that_is_too_big_or_not_allowed_is_refused_and_nothing_stored(
        content, name, content_type, message, world, signed_in, documents_root):
    assert len(content) != MAX_BYTES + 1 or name == "big.pdf"
    response = upload(signed_in(world["worker"]), world["child"], content, name=name, content_type=content_type)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body and 'href="#id_file"' in body
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []


def test_the_size_limit_is_exactly_10mb(world, signed_in, documents_root):
    content = b"%PDF-" + b"0" * (MAX_BYTES - 5)
    assert len(content) == MAX_BYTES
    assert upload(signed_in(world["worker"]), world["child"], content).status_code == 302


def test_a_body_over_the_request_limit_is_refused_unread_on_pages_and_in_the_api(
        world, signed_in, documents_root, settings):
    """Larger than a 10MB file and its form: 413 before the CSRF check or the form reads it."""
    settings.HARBOUR_MAX_REQUEST_BYTES = 64 * 1024  # the same rule, without sending 11MB in a test
    client = signed_in(world["worker"])
    content = b"%PDF-" + b"0" * (settings.HARBOUR_MAX_REQUEST_BYTES + 1)
    page = upload(client, world["child"], content)
    assert page.status_code == 413
    assert "What you sent was too big" in page.content.decode() and "smaller than 10MB" in page.content.decode()
    api = client.post("/api/v1/children", data=b"{" + b" " * (settings.HARBOUR_MAX_REQUEST_BYTES + 1) + b"}",
                      content_type="application/json")
    assert api.status_code == 413 and api.json()["detail"][0]["loc"] == ["body"]
    assert not Document.objects.exists() and stored_files(documents_root) == []
    # Under the limit, the form answers as usual (here: the file is not a PDF).
    small = upload(client, world["child"], b"not a pdf" * 100)
    assert small.status_code == 400 and "must be a PDF, PNG, JPEG or DOCX" in small.content.decode()


def test_the_request_limit_leaves_room_for_a_10mb_file_and_its_form():
    from django.conf import settings

    assert settings.HARBOUR_MAX_REQUEST_BYTES >= MAX_BYTES + 64 * 1024


def test_101_files_are_refused(world, signed_in, documents_root):
    files = {f"file{i}": SimpleUploadedFile(f"f{i}.pdf", PDF, content_type="application/pdf") for i in range(101)}
    response = signed_in(world["worker"]).post(f"/documents/children/{world['child'].pk}/",
                                               {"kind": "other", **files})
    assert response.status_code == 400
    assert not Document.objects.exists() and stored_files(documents_root) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("../../x.pdf", "x.pdf"),
    ("..\\..\\windows\\x.pdf", "x.pdf"),
    ("evil\u202efdp.exe", "evilfdp.pdf"),
    ("a\x00b.pdf", "ab.pdf"),
    ("x" * 300 + ".pdf", "x" * 90 + ".pdf"),
    ("...", "document.pdf"),
    ("<script>.pdf", "script.pdf"),
], ids=["dot-dot-slash", "backslashes", "rtl-override", "nul", "very-long", "only-dots", "markup"])
def test_the_filename_is_cleaned_and_never_reaches_the_file_system(name, expected, world, signed_in,
                                                                   documents_root):
    assert upload(signed_in(world["worker"]), world["child"], PDF, name=name).status_code == 302
    document = Document.objects.get()
    assert document.original_name == expected
    [path] = stored_files(documents_root)
    assert path.resolve().is_relative_to(documents_root.resolve()) and path.name == document.stored_name


def test_download_is_an_attachment_with_nosniff_and_is_logged(world, signed_in):
    client = signed_in(world["worker"])
    upload(client, world["child"], PDF, name="../../report.pdf")
    document = Document.objects.get()
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="report.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AccessLogEntry.objects.filter(child_id=world["child"].pk, user=world["worker"],
                                         route="documents:download").exists()


def test_download_answers_404_out_of_scope_like_a_missing_document(world, signed_in, make_user, make_team,
                                                                    make_agency, share_with):
    upload(signed_in(world["worker"]), world["child"], PDF)
    document = Document.objects.get()
    police = make_agency(PartnerAgency.Kind.POLICE)
    share_with(world["child"], police, by=world["worker"])
    for outsider in (make_user(Role.SOCIAL_WORKER, team=make_team()), make_user(Role.ADMINISTRATOR),
                     make_user(Role.PARTNER, agency=police)):
        client = signed_in(outsider)
        out_of_scope, missing = client.get(f"/documents/{document.pk}/"), client.get(f"/documents/{uuid.uuid4()}/")
        assert out_of_scope.status_code == missing.status_code == 404
        assert normalised(out_of_scope.content) == normalised(missing.content)
        assert b"Sentinelname" not in out_of_scope.content and b"report" not in out_of_scope.content
        assert not AccessLogEntry.objects.filter(child_id=world["child"].pk, user=outsider).exists()


def test_someone_who_may_not_edit_sees_the_list_but_cannot_upload(world, signed_in, make_user):
    from harbour.accounts.models import Allocation

    iro = make_user(Role.IRO)
    Allocation.objects.create(child=world["child"], worker=iro, kind=Allocation.Kind.IRO, start=dt.date(2026, 1, 1))
    client = signed_in(iro)
    page = client.get(f"/documents/children/{world['child'].pk}/")
    assert page.status_code == 200 and b"Upload the document" not in page.content
    assert upload(client, world["child"], PDF).status_code == 404
    assert not Document.objects.exists()


def test_the_documents_page_takes_the_same_queries_for_2_and_10_documents(world, signed_in):
    client = signed_in(world["worker"])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/documents/children/{world['child'].pk}/").status_code == 200
        return len(captured)

    for _ in range(2):
        upload(client, world["child"], PDF)
    few = count()
    for _ in range(8):
        upload(client, world["child"], PDF)
    assert count() == few


def test_destroying_the_record_removes_its_files_after_commit(world, signed_in, make_user, documents_root,
                                                             django_capture_on_commit_callbacks):
    child = world["child"]
    upload(signed_in(world["worker"]), child, PDF)
    Child.unscoped.filter(pk=child.pk).update(date_of_birth=dt.date(1940, 1, 1))
    PeriodLookedAfter.objects.create(child=child, start=dt.date(1950, 1, 1), end=dt.date(1958, 1, 1))
    first, second = make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)
    proposal = retention.propose_destruction(actor=first, child_id=child.pk, today=dt.date(2026, 12, 2))
    with django_capture_on_commit_callbacks(execute=True):
        stone = retention.approve_and_destroy(actor=second, proposal=proposal, today=dt.date(2026, 12, 2))
    assert stone.rows_destroyed["documents_document"] == 1
    assert not Document.objects.exists()
    assert stored_files(documents_root) == []


def test_the_api_lists_a_childs_documents_in_scope_and_404_outside(world, signed_in, make_user, make_team):
    from harbour.accounts.models import ApiToken

    upload(signed_in(world["worker"]), world["child"], PDF, name="plan.pdf")
    document = Document.objects.get()
    _, raw = ApiToken.issue(user=world["worker"], name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    listed = api.get(f"/api/v1/documents/children/{world['child'].pk}")
    assert listed.status_code == 200
    assert listed.json() == [{"id": str(document.pk), "kind": "age_assessment", "name": "plan.pdf",
                              "content_type": "application/pdf", "size": len(PDF),
                              "uploaded_at": listed.json()[0]["uploaded_at"],
                              "download": f"/documents/{document.pk}/"}]
    _, other = ApiToken.issue(user=make_user(Role.SOCIAL_WORKER, team=make_team()), name="test")
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {other}")
    assert outsider.get(f"/api/v1/documents/children/{world['child'].pk}").status_code == 404
