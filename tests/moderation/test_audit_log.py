"""The moderation log cannot be changed: not through the ORM, the API, the admin, nor (on
PostgreSQL) raw SQL."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from moderation import services
from moderation.models import AppendOnlyError, ModerationAction
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(pending_listing, moderator):
    return services.listing_reject(
        listing=pending_listing, actor=moderator, reason="Photos are stock images."
    )


def test_a_saved_row_cannot_be_saved_again(logged):
    logged.reason = "Something nicer"
    with pytest.raises(AppendOnlyError):
        logged.save()
    assert ModerationAction.objects.get(pk=logged.pk).reason == "Photos are stock images."


def test_a_row_cannot_be_deleted(logged):
    with pytest.raises(AppendOnlyError):
        logged.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.filter(pk=logged.pk).delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().update(reason="rewritten")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        ModerationAction.objects.bulk_update([logged], ["reason"])
    assert ModerationAction.objects.filter(pk=logged.pk, reason="Photos are stock images.").exists()


def test_deleting_the_listing_or_the_moderator_is_refused_while_the_log_mentions_them(
    logged, pending_listing, moderator
):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        pending_listing.delete()
    with pytest.raises(ProtectedError):
        moderator.delete()


def test_a_row_names_exactly_one_target(pending_listing, seller_coop, moderator):
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(
            actor=moderator,
            action="listing_approve",
            listing=pending_listing,
            cooperative=seller_coop,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(actor=moderator, action="listing_approve")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_api_offers_no_way_to_change_the_log(logged, moderator, method):
    client = client_for(moderator)
    for url in ["/api/v1/moderation/actions/", f"/api/v1/moderation/actions/{logged.pk}/"]:
        response = getattr(client, method)(url, {"reason": "rewritten"}, format="json")
        assert response.status_code == 405, url
    assert client.post("/api/v1/moderation/actions/", {}, format="json").status_code == 405
    assert ModerationAction.objects.get(pk=logged.pk).reason == "Photos are stock images."


@pytest.mark.postgres
def test_postgresql_refuses_raw_updates_and_deletes(logged):
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(
                "UPDATE moderation_moderationaction SET reason = 'rewritten' WHERE id = %s",
                [logged.pk],
            )
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM moderation_moderationaction WHERE id = %s", [logged.pk])
    assert ModerationAction.objects.get(pk=logged.pk).reason == "Photos are stock images."
