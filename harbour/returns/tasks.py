"""Background work for the return: a run takes seconds to a minute, so it never holds a request."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from .models import ReturnRun


@task()
def run_return_task(run_id: str) -> None:
    from .services import run_return

    run_return(ReturnRun.objects.select_related("requested_by").get(id=run_id), la_code=settings.HARBOUR_LA_ONS_CODE)
