"""The national-scale scenario (run by benchmarks/national_load.py; see README.md, "National scale").

Social workers (four users in five) open the caseload list once, then search by name, open a child on
their caseload and look at their own "What to do next"; managers, who see the whole service, search
and open a child they found. Each user signs in once through the real sign-in form (CSRF token,
Argon2) and waits 1 to 3 seconds between actions. The manager's whole-service "What to do next" is
left out: on this set it takes about ten seconds alone (README.md), and is reported there apart.

The usernames come from benchmarks/.national/users.json, written by benchmarks/national_scale.py.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

USERS = json.loads((Path(__file__).parent / ".national" / "users.json").read_text())
PASSWORD = "harbour-demo-2026"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CHILD = re.compile(r'href="/children/([0-9a-f-]{36})/"')
_workers = itertools.cycle(USERS["social_workers"])
_managers = itertools.cycle(USERS["managers"])
SEARCHES = ["Mohammed", "Muhammad", "Hosseini", "Hussein", "Yousef", "Smith", "Murphy", "Ahmadzai", "Tesfay",
            "Nguyen", "Ali", "O'Brien", "Yusuf Khan", "محمد"]


def _csrf(html: str) -> str:
    match = _CSRF.search(html)
    return match.group(1) if match else ""


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    usernames: Any = None

    def on_start(self) -> None:
        username = next(self.usernames)
        page = self.client.get("/accounts/sign-in/", name="sign in (form)")
        answer = self.client.post("/accounts/sign-in/", {"username": username, "password": PASSWORD,
                                                         "csrfmiddlewaretoken": _csrf(page.text)},
                                  name="sign in", allow_redirects=False)
        if answer.status_code != 302:
            raise RuntimeError(f"{username} could not sign in: {answer.status_code}")
        self.children: list[str] = []

    @task(3)
    def search(self) -> None:
        page = self.client.get(f"/search/?q={random.choice(SEARCHES)}", name="search")  # noqa: S311
        found = _CHILD.findall(page.text)
        if found and not isinstance(self, SocialWorker):
            self.children = found

    @task(4)
    def child_page(self) -> None:
        if self.children:
            self.client.get(f"/children/{random.choice(self.children)}/", name="child's page")  # noqa: S311


class SocialWorker(Staff):
    weight = 4
    usernames = _workers

    def on_start(self) -> None:
        super().on_start()
        listing = self.client.get("/children/", name="caseload list")
        self.children = sorted(set(_CHILD.findall(listing.text)))

    @task(2)
    def own_dashboard(self) -> None:
        self.client.get("/", name="what to do next (own caseload)")


class Manager(Staff):
    weight = 1
    usernames = _managers
