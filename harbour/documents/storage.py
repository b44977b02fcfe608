"""Where uploaded files live: a directory outside the static and media paths the web server
serves, named by random identifiers. Files are read back only through the access-checked download."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings


def root() -> Path:
    return Path(getattr(settings, "HARBOUR_DOCUMENTS_ROOT", Path(settings.BASE_DIR) / "var" / "documents"))


def new_stored_name() -> str:
    return secrets.token_hex(32)


def path_of(stored_name: str) -> Path:
    if len(stored_name) != 64 or not all(ch in "0123456789abcdef" for ch in stored_name):
        raise ValueError("not a stored name")
    return root() / stored_name[:2] / stored_name


def write(stored_name: str, chunks: Any) -> None:
    path = path_of(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with path.open("xb") as out:
        for chunk in chunks:
            out.write(chunk)


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def remove_destroyed_files(child_id: uuid.UUID, stored_names: dict[str, list[Any]]) -> None:
    for name in stored_names.get("documents.Document", []):
        remove(name)
