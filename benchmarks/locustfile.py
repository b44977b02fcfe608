"""The load scenario: staff at work on a large council (run by benchmarks/load.py; see README.md).

Social workers (most of the users) search, open a child on their caseload and record a statutory
visit (the visits page under "Reviews and checks"); managers (one user in five) open the referral queue, the "What to do next"
dashboard of the whole service and the sufficiency dashboard. Each user signs in once with the
demo password, through the real sign-in form (CSRF token, Argon2), and waits 1 to 3 seconds
between actions, as a person reading a page does.

The usernames come from benchmarks/.load/users.json, written by benchmarks/large_council.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

USERS = json.loads((Path(__file__).parent / ".load" / "users.json").read_text())
PASSWORD = "harbour-demo-2026"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CHILD = re.compile(r'href="/children/([0-9a-f-]{36})/"')
_workers = itertools.cycle(USERS["social_workers"])
_managers = itertools.cycle(USERS["managers"])
# A visit the service refuses, rightly: one that day is on the record already (an earlier run), or the
# child was not looked after that day (a care leaver or a child who came into care since, on the caseload).
REFUSED_RIGHTLY = ("is already recorded", "was not looked after on")
SEARCHES = ["Ahmadi", "Tesfay", "Mohammed", "Smith", "Murphy", "Haile", "Kelly", "Nguyen", "Ali", "Hussein"]


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


class SocialWorker(Staff):
    weight = 4
    usernames = _workers

    def on_start(self) -> None:
        super().on_start()
        listing = self.client.get("/children/", name="caseload list")
        self.children = sorted(set(_CHILD.findall(listing.text))) or []

    @task(3)
    def search(self) -> None:
        self.client.get(f"/search/?q={random.choice(SEARCHES)}", name="search")  # noqa: S311

    @task(4)
    def child_page(self) -> None:
        if self.children:
            self.client.get(f"/children/{random.choice(self.children)}/", name="child's page")  # noqa: S311

    @task(1)
    def record_visit(self) -> None:
        if not self.children:
            return
        child = random.choice(self.children)  # noqa: S311
        path = f"/reviews/child/{child}/check/"
        form = self.client.get(f"{path}?kind=visit", name="record a visit (form)")
        # Visits are often written up a few days later; a day in the last two weeks.
        on = dt.date.today() - dt.timedelta(days=random.randint(0, 13))  # noqa: S311
        with self.client.post(path, {"csrfmiddlewaretoken": _csrf(form.text), "kind": "visit",
                                     "on-day": str(on.day), "on-month": str(on.month),
                                     "on-year": str(on.year), "seen_alone": "yes"},
                              name="record a visit", allow_redirects=False, catch_response=True) as answer:
            if answer.status_code == 422 and any(words in answer.text for words in REFUSED_RIGHTLY):
                answer.success()  # the service said why, as it should: counted as answered, not as a failure
            elif answer.status_code != 302:
                answer.failure(f"visit not recorded: {answer.status_code}")

    @task(2)
    def own_dashboard(self) -> None:
        self.client.get("/", name="what to do next (own caseload)")


class Manager(Staff):
    weight = 1
    usernames = _managers

    @task(2)
    def referral_queue(self) -> None:
        self.client.get("/referrals/", name="referral queue")

    @task(1)
    def service_dashboard(self) -> None:
        self.client.get("/", name="what to do next (whole service / team)")

    @task(1)
    def sufficiency(self) -> None:
        self.client.get("/placements/sufficiency/", name="sufficiency dashboard")
