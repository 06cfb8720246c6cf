"""`core.statements`: a queryset compiled once per connection and key from stand-ins answers as
the ORM's queryset does for each call's own values (the same SQL and parameters run, the same
rows, instances and updates), no stand-in ever reaches the database, and a statement that would
not take a call's values is refused when it is compiled."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_get
from cooperatives.models import Cooperative, Membership
from core import statements
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_since(ids: list[int], slug: str, since: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(cooperative_id__in=ids, user__date_joined__gte=since)
        .exclude(cooperative__slug=slug)
        .order_by("pk")
    )


def ran(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


def as_read(instance: Any) -> dict[str, Any]:
    return {name: value for name, value in vars(instance).items() if name != "_state"}


@pytest.fixture
def cooperatives() -> list[Any]:
    made = [CooperativeFactory(name=f"Cooperativa {index}") for index in range(3)]
    for index, cooperative in enumerate(made):
        for _ in range(index + 1):
            MembershipFactory(cooperative=cooperative)
    return made


def test_rows_run_the_orm_s_sql_with_each_call_s_values(cooperatives, compilations):
    def build(ids: list[int], slug: str, since: Any) -> QuerySet:
        return members_since(ids, slug, since).values_list("pk", "role", "user__date_joined")

    calls = [
        ([c.pk for c in cooperatives[:2]], cooperatives[0].slug, timezone.now() - timedelta(1)),
        ([c.pk for c in cooperatives[1:]], cooperatives[0].slug, timezone.now() - timedelta(1)),
        ([c.pk for c in cooperatives[::2]], cooperatives[2].slug, timezone.now() + timedelta(1)),
    ]
    answers = []
    for ids, slug, since in calls:
        before = len(compilations)
        with CaptureQueriesContext(connection) as orm:
            expected = list(build(ids, slug, since))
        orm_compiled = len(compilations) - before
        with CaptureQueriesContext(connection) as compiled:
            answers.append(
                statements.rows(Membership, "test rows", build, ids=ids, slug=slug, since=since)
            )
        assert answers[-1] == expected
        assert ran(compiled) == ran(orm)  # the same SQL and the same parameters
        assert orm_compiled == 1
    assert [len(answer) for answer in answers] == [2, 5, 0]
    assert all(isinstance(row, tuple) for answer in answers for row in answer)
    # Compiled once for the three calls: the ORM's three and this module's first.
    assert len(compilations) == 3 + 1


def test_instances_are_the_orm_s_with_related_rows_and_annotations(cooperatives, compilations):
    def build(ids: list[int], user_id: int) -> QuerySet[Membership]:
        roles = Membership.objects.filter(user_id=user_id, cooperative=OuterRef("cooperative_id"))
        return (
            Membership.objects.select_related("cooperative", "user")
            .only("role", "cooperative__name", "user__email")
            .filter(cooperative_id__in=ids)
            .annotate(actor_role=Subquery(roles.values("role")[:1]), seen=Count("pk"))
            .order_by("pk")
        )

    someone = Membership.objects.filter(cooperative=cooperatives[1]).first().user  # type: ignore[union-attr]
    for ids, user_id in (
        ([cooperatives[1].pk, cooperatives[2].pk], someone.pk),
        (
            [cooperatives[0].pk, cooperatives[1].pk],
            someone.pk + 1000,
        ),
    ):
        expected = list(build(ids, user_id))
        found = statements.instances(Membership, "test instances", build, ids=ids, user_id=user_id)
        assert [as_read(m) for m in found] == [as_read(m) for m in expected]
        assert [as_read(m.cooperative) for m in found] == [as_read(m.cooperative) for m in expected]
        assert [as_read(m.user) for m in found] == [as_read(m.user) for m in expected]
        assert [m.get_deferred_fields() for m in found] == [
            m.get_deferred_fields() for m in expected
        ]
    assert {m.actor_role for m in found} == {None}  # the second call's own user: no role


def test_a_user_read_by_pk_is_the_orm_s_user(compilations):
    users = [UserFactory(), UserFactory()]
    user_get(users[0].pk)  # compiled here, unless this connection did before
    before = len(compilations)
    found = [user_get(user.pk) for user in users]
    assert user_get(users[-1].pk + 1000) is None
    assert user_get(str(users[0].pk)).pk == users[0].pk  # type: ignore[union-attr]
    assert len(compilations) == before  # each read ran the compiled statement
    for user, read in zip(users, found, strict=True):
        assert as_read(read) == as_read(User.objects.get(pk=user.pk))


def test_an_update_changes_what_the_orm_s_update_changes():
    users = [UserFactory(name="Ana"), UserFactory(name="Bea"), UserFactory()]

    def build(ids: list[int], name: str, when: Any) -> tuple[QuerySet, dict[str, Any]]:
        return User.objects.filter(pk__in=ids), {"name": name, "last_login": when}

    for ids, name in ([users[0].pk, users[1].pk], "Carla"), ([users[2].pk, users[0].pk], "Dora"):
        when = timezone.now().replace(microsecond=123456)
        updated = statements.update(User, "test update", build, ids=ids, name=name, when=when)
        assert updated == 2
        assert (
            list(User.objects.filter(pk__in=ids).values_list("name", "last_login"))
            == [(name, when)] * 2
        )
    assert User.objects.get(pk=users[1].pk).name == "Carla"


def test_no_stand_in_reaches_the_database(cooperatives):
    with CaptureQueriesContext(connection) as queries:
        statements.rows(
            Membership,
            "test leak",
            lambda ids, slug, since: members_since(ids, slug, since).values_list("pk"),
            ids=[cooperatives[0].pk],
            slug="x",
            since=timezone.now(),
        )
    [sql] = ran(queries)
    assert "stand-in" not in sql and "-1000000000000000" not in sql and "1901" not in sql


def test_a_statement_that_would_not_take_each_call_s_values_is_refused(cooperatives):
    ids = [cooperatives[0].pk]
    with pytest.raises(RuntimeError, match="does not take every value"):
        statements.rows(
            Cooperative, "test unused", lambda pk: Cooperative.objects.values_list("pk"), pk=1
        )
    with pytest.raises(RuntimeError, match="writes a value into its SQL"):
        statements.rows(
            Cooperative,
            "test written",
            lambda pk: (
                Cooperative.objects.extra(where=[f"id <> {pk}"]).filter(pk=pk).values_list("pk")
            ),
            pk=ids[0],
        )
    for value in (True, 1.5, None, [True]):
        with pytest.raises(TypeError, match="cannot be compiled once"):
            statements.rows(
                Cooperative,
                ("test kind", repr(value)),
                lambda pk: Cooperative.objects.filter(pk=pk).values_list("pk"),
                pk=value,
            )
    # Nothing was kept of the refused statements: a right one under the same key is compiled.
    assert statements.rows(
        Cooperative,
        "test unused",
        lambda pk: Cooperative.objects.filter(pk=pk).values_list("pk"),
        pk=ids[0],
    ) == [(ids[0],)]


def test_each_connection_compiles_its_own(compilations):
    def read() -> list[Any]:
        return statements.rows(
            Cooperative,
            "test per connection",
            lambda pk: Cooperative.objects.filter(pk=pk).values_list("name"),
            pk=404,
        )

    read()
    read()
    assert len(compilations) == 1
    other: list[Any] = []

    def in_another_thread() -> None:
        try:
            other.append(read())
        finally:
            connections.close_all()

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert other == [[]]
    assert len(compilations) == 2  # that thread's connection compiled it for itself
