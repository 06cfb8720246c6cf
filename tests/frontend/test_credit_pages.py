"""Credit and clearing pages, in Spanish: who sees what (404 for everyone else), joining with the
terms and an explained consent that can be left unticked, the committee's four eyes, a stale
proposal's refusal in plain words, the invoice page's offer to pay in credit."""

import pytest
from django.test import Client

from clearing.models import ClearingRun
from clearing.services import clearing_run_propose
from credit.models import CreditAccount, CreditSystem, CreditTerms, LineRequest
from credit.services import credit_system_join
from orders.models import Invoice
from tests.clearing.test_runs import invoice, owner_of
from tests.credit.conftest import member_of_committee
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory
from tests.frontend.helpers import messages_of, text

pytestmark = pytest.mark.django_db


def spanish(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": "es"})
    client.force_login(user)
    return client


@pytest.fixture
def system():  # type: ignore[no-untyped-def]
    system = CreditSystem.objects.create(
        currency="ARS", name="Crédito Minga ARS", default_upper_limit=1_000_00
    )
    CreditTerms.objects.create(system=system, version=1, text="Los términos del sistema.")
    return system


@pytest.fixture
def coop():  # type: ignore[no-untyped-def]
    return CooperativeFactory(name="Coop Panadera")


def joined(system, cooperative):  # type: ignore[no-untyped-def]
    account, _opened = credit_system_join(
        system=system, cooperative=cooperative, actor=owner_of(cooperative), terms_version=1
    )
    return account


def test_joining_shows_the_terms_and_the_consent_can_be_left_unticked(system, coop):
    owner = owner_of(coop)
    browser = spanish(owner)
    home = text(browser.get(f"/my/cooperatives/{coop.slug}/credit/"))
    assert "Crédito Minga ARS" in home and "/credit/ARS/join/" in home
    page = text(browser.get(f"/my/cooperatives/{coop.slug}/credit/ARS/join/"))
    assert "Los términos del sistema." in page
    not_accepted = browser.post(
        f"/my/cooperatives/{coop.slug}/credit/ARS/join/", {"terms_version": "1"}
    )
    assert not_accepted.status_code == 200 and not CreditAccount.objects.exists()
    done = browser.post(
        f"/my/cooperatives/{coop.slug}/credit/ARS/join/",
        {"accept": "on", "terms_version": "1"},
        follow=True,
    )
    account = CreditAccount.objects.get(cooperative=coop)
    assert not account.clearing_consent
    assert account.acceptances.get().accepted_by == owner
    assert "Retirado" in text(done)  # the account page says it takes no part in clearing


def test_outdated_terms_are_refused_in_words(system, coop):
    CreditTerms.objects.create(system=system, version=2, text="Nuevos términos.")
    browser = spanish(owner_of(coop))
    refused = browser.post(
        f"/my/cooperatives/{coop.slug}/credit/ARS/join/",
        {"accept": "on", "clearing_consent": "on", "terms_version": "1"},
    )
    assert refused.status_code == 200
    assert "versión 2" in text(refused)
    assert not CreditAccount.objects.exists()


def test_members_read_only_managers_join_others_get_404(system, coop):
    member = MembershipFactory(cooperative=coop, role="member").user
    home = text(spanish(member).get(f"/my/cooperatives/{coop.slug}/credit/"))
    assert "/credit/ARS/join/" not in home
    assert spanish(member).get(f"/my/cooperatives/{coop.slug}/credit/ARS/join/").status_code == 404
    outsider = spanish(UserFactory())
    assert outsider.get(f"/my/cooperatives/{coop.slug}/credit/").status_code == 404
    joined(system, coop)
    assert outsider.get(f"/my/cooperatives/{coop.slug}/credit/ARS/").status_code == 404
    assert spanish(member).get(f"/my/cooperatives/{coop.slug}/credit/ARS/").status_code == 200


def test_a_deep_line_needs_a_second_committee_member(system, coop, settings):
    settings.CREDIT_FOUR_EYES_THRESHOLD = 500_00
    account = joined(system, coop)
    first, second = member_of_committee("Rosa"), member_of_committee("Hugo")
    form = {"line": "800,00", "upper": "1000,00", "reason": "Buen historial de ventas."}
    asked = spanish(first).post(f"/credit/committee/accounts/{account.pk}/", form, follow=True)
    assert any("segundo" in message for message in messages_of(asked))
    account.refresh_from_db()
    assert account.lower_limit == 0
    pending = LineRequest.objects.get(status="pending")
    own = spanish(first).post(f"/credit/committee/requests/{pending.pk}/confirm/", follow=True)
    assert any("Otro miembro" in message for message in messages_of(own))
    confirmed = spanish(second).post(f"/credit/committee/requests/{pending.pk}/confirm/")
    assert confirmed.status_code == 302
    account.refresh_from_db()
    assert account.lower_limit == -800_00
    page = text(spanish(owner_of(coop)).get(f"/my/cooperatives/{coop.slug}/credit/ARS/"))
    assert "Buen historial de ventas." in page and "Hugo" in page


def test_committee_pages_are_404_for_everyone_else(system, coop):
    account = joined(system, coop)
    owner = spanish(owner_of(coop))
    for path in (
        "/credit/committee/",
        f"/credit/committee/accounts/{account.pk}/",
        "/clearing/",
    ):
        assert owner.get(path).status_code == 404, path
    assert spanish(member_of_committee("Rosa")).get("/credit/committee/").status_code == 200


def test_a_stale_proposal_is_refused_plainly(system):
    ar, uy, br = (CooperativeFactory(name=name) for name in ("Coop AR", "Coop UY", "Coop BR"))
    for member in (ar, uy, br):  # clearing takes the invoices between consenting members
        joined(system, member)
    invoices = [invoice(ar, uy, 500_00), invoice(uy, br, 500_00), invoice(br, ar, 500_00)]
    committee = member_of_committee("Rosa")
    browser = spanish(committee)
    run = clearing_run_propose(currency="ARS", actor=committee)
    Invoice.objects.filter(pk=invoices[0].pk).update(amount_paid=1)
    page = text(browser.get(f"/clearing/runs/{run.pk}/"))
    assert "cambiaron" in page  # warned before trying
    refused = browser.post(f"/clearing/runs/{run.pk}/execute/", follow=True)
    assert any(invoices[0].number in message for message in messages_of(refused))
    run.refresh_from_db()
    assert run.status == "proposed" and ClearingRun.objects.count() == 1


def test_the_invoice_page_offers_credit_only_when_the_seller_takes_it(system):
    buyer, seller = CooperativeFactory(name="Compradora"), CooperativeFactory(name="Vendedora")
    bill = invoice(buyer, seller, 500_00)
    browser = spanish(owner_of(buyer))
    assert f"/invoices/{bill.pk}/credit/" not in text(browser.get(f"/invoices/{bill.pk}/"))
    joined(system, seller)
    # Joined, but it accepts no share of its prices in credit yet: nothing to offer.
    assert f"/invoices/{bill.pk}/credit/" not in text(browser.get(f"/invoices/{bill.pk}/"))
    type(seller).objects.filter(pk=seller.pk).update(credit_share_bps=5_000)
    page = text(browser.get(f"/invoices/{bill.pk}/"))
    assert f"/my/cooperatives/{buyer.slug}/credit/ARS/join/" in page  # join first
    joined(system, buyer)
    assert f'action="/invoices/{bill.pk}/credit/"' in text(browser.get(f"/invoices/{bill.pk}/"))
    # The seller does not see the buyer's form.
    seller_page = text(spanish(owner_of(seller)).get(f"/invoices/{bill.pk}/"))
    assert f"/invoices/{bill.pk}/credit/" not in seller_page
