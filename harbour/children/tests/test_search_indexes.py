"""Search at national scale (security checklist item 26): on PostgreSQL the name keys have trigram
indexes, so a search for part of a name or a transliteration reads the index, not every name.
The timings are in benchmarks/README.md ("National scale"); these tests hold the mechanism."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from harbour.accounts.models import Role
from harbour.children import selectors
from harbour.children.models import Child, ChildName
from harbour.domain.names import search_key, sound_key

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm and GIN are PostgreSQL's")
INDEXES = {"children_childname_search_key_trgm", "children_childname_sound_key_trgm"}
LAST_WITHOUT = ("children", "0005_merge_restriction_and_return_facts")
WITH = ("children", "0006_trigram_indexes_on_name_keys_in_postgresql")


@pytest.fixture
def worker(make_team: Any, make_user: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


def _plan(queryset: Any) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # With sequential scans priced out, the planner uses an index if one can answer the LIKE at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _trigram_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'children_childname' "
                       "AND indexdef LIKE '%%gin_trgm_ops%%'")
        return {name for (name,) in cursor.fetchall()}


@postgresql_only
def test_a_search_for_part_of_a_name_or_a_transliteration_reads_the_trigram_indexes(worker: Any, make_child: Any) -> None:
    make_child(social_worker=worker, given_names="Muhammad", family_name="Ahmadzai")
    part = ChildName.objects.filter(search_key__contains=search_key("Mohammed")).values("child_id")
    inside = ChildName.objects.filter(sound_key__contains=" " + sound_key("Mohammed") + " ").values("child_id")
    assert "children_childname_search_key_trgm" in _plan(part)
    assert "children_childname_sound_key_trgm" in _plan(inside)


@postgresql_only
def test_transliterations_are_still_found_with_the_indexes(worker: Any, make_child: Any) -> None:
    muhammad = make_child(social_worker=worker, given_names="Muhammad", family_name="Ahmadzai")
    mohamed = make_child(social_worker=worker, given_names="Ali Mohamed", family_name="Noori")
    make_child(social_worker=worker, given_names="Jack", family_name="Smith")
    found = selectors.search_children(visible=Child.unscoped.all(), query="Mohammed")
    assert {child.pk for child in found} == {muhammad.pk, mohamed.pk}


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    # The latest children migration, not 0006: migrating back to 0005 also took back those after 0006.
    MigrationExecutor(connection).migrate(MigrationLoader(connection).graph.leaf_nodes("children"))


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_both_indexes_and_takes_them_away_again(back_to_latest: None) -> None:
    assert _trigram_indexes() == INDEXES
    MigrationExecutor(connection).migrate([LAST_WITHOUT])
    assert _trigram_indexes() == set()
    MigrationExecutor(connection).migrate([WITH])
    assert _trigram_indexes() == INDEXES


def test_a_child_found_by_reference_comes_before_children_found_by_name(worker: Any, make_child: Any) -> None:
    by_name = make_child(social_worker=worker, given_names="Abel", family_name="H1234567")
    by_reference = make_child(social_worker=worker, given_names="Zara", family_name="Zimmer",
                              home_office_reference="H1234567")
    found = selectors.search_children(visible=Child.unscoped.all(), query="h1234567")
    assert [child.pk for child in found] == [by_reference.pk, by_name.pk]


def test_a_query_of_punctuation_alone_finds_nobody_rather_than_everybody(worker: Any, make_child: Any) -> None:
    make_child(social_worker=worker, given_names="Sean", family_name="O'Brien")
    assert selectors.search_children(visible=Child.unscoped.all(), query="'") == []


def test_a_social_worker_finds_only_children_on_their_caseload_by_name_or_reference(
        worker: Any, make_user: Any, make_child: Any) -> None:
    from harbour.accounts import access

    other = make_user(Role.SOCIAL_WORKER)
    mine = make_child(social_worker=worker, given_names="Mohammed", family_name="Karimi", upn="A123456789012")
    make_child(social_worker=other, given_names="Muhammad", family_name="Karimi", upn="B123456789012")
    visible = access.children_visible_to(worker)
    assert [c.pk for c in selectors.search_children(visible=visible, query="Muhammad Karimi")] == [mine.pk]
    assert selectors.search_children(visible=visible, query="b123456789012") == []
