import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from PIL import Image

from cooperatives import demo
from cooperatives.models import Cooperative, Invitation, Membership, Role, VerificationRequest
from cooperatives.state import VerificationStatus

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "cooperatives": Cooperative.objects.count(),
        "memberships": Membership.objects.count(),
        "invitations": Invitation.objects.count(),
        "verification_requests": VerificationRequest.objects.count(),
    }


def test_seed_demo_twice_creates_nothing_the_second_time_and_prints_the_accounts():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=out)
    assert counts() == first
    printed = out.getvalue()
    assert "0 demo cooperatives and 0 accounts created" in printed
    assert demo.MODERATOR_EMAIL in printed and demo.DEMO_PASSWORD in printed


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    return demo.seed(io.StringIO())


def test_demo_network_is_varied_enough_to_show_the_exchange(seeded):
    cooperatives = Cooperative.objects.all()
    assert cooperatives.count() >= 12
    countries = {cooperative.country for cooperative in cooperatives}
    assert {"AR", "UY", "BR", "ES"} <= countries and len(countries) >= 5
    assert len({cooperative.legal_form for cooperative in cooperatives}) >= 4
    assert len({cooperative.sector for cooperative in cooperatives}) >= 6
    assert cooperatives.filter(is_recuperated=True).count() >= 3
    statuses = [cooperative.verification_status for cooperative in cooperatives]
    assert statuses.count(VerificationStatus.VERIFIED) >= 3
    assert statuses.count(VerificationStatus.PENDING) == 1
    assert {c.description_language for c in cooperatives} >= {"es", "pt-br", "en"}
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for cooperative in cooperatives:
        assert cooperative.memberships.filter(role=Role.OWNER).exists(), cooperative
        with Image.open(cooperative.logo.path) as logo:  # drawn, then re-encoded by the service
            assert logo.format == "WEBP" and logo.size == (512, 512)


def test_demo_accounts_sign_in_with_the_documented_password(seeded):
    lines = seeded
    assert demo.DEMO_PASSWORD in lines[0]
    admin = authenticate(username=demo.ADMIN_EMAIL, password=demo.DEMO_PASSWORD)
    assert admin is not None and admin.is_superuser and admin.is_staff
    moderator = authenticate(username=demo.MODERATOR_EMAIL, password=demo.DEMO_PASSWORD)
    assert moderator is not None and moderator.is_moderator and not moderator.is_superuser
    owner = authenticate(username="lucia@minga.test", password=demo.DEMO_PASSWORD)
    assert owner is not None and owner.memberships.filter(role=Role.OWNER).exists()
    for email in (demo.ADMIN_EMAIL, demo.MODERATOR_EMAIL, "lucia@minga.test"):
        assert any(email in line for line in lines)


def test_demo_sellers_have_valid_payout_details_for_their_invoices(seeded):  # type: ignore[no-untyped-def]
    from cooperatives.models import PayoutDetails
    from cooperatives.payout_validation import validate_payout_details

    details = {d.cooperative.slug: d for d in PayoutDetails.objects.select_related("cooperative")}
    assert set(details) == set(demo.DEMO_PAYOUT_DETAILS)
    schemes = set()
    for found in details.values():
        values = {
            field: getattr(found, field)
            for field in demo.DEMO_PAYOUT_DETAILS[found.cooperative.slug]
        }
        validate_payout_details(found.country, {"account_holder": found.account_holder, **values})
        schemes.add(found.country)
    assert {"AR", "UY", "BR", "ES"} <= schemes
    assert demo._seed_payout_details() == 0  # a second run changes nothing
