"""The clearing consent on the account page, in Spanish: an owner withdraws it and gives it again
with one button each way; a plain member reads the state, has no button and a forged post is
refused in words; anyone outside the cooperative gets a 404."""

import pytest

from cooperatives.models import Role
from credit.models import ConsentLog, CreditAccount
from tests.clearing.test_runs import consenting, owner_of
from tests.factories import CooperativeFactory, MembershipFactory, UserFactory
from tests.frontend.helpers import messages_of, text
from tests.frontend.test_credit_pages import spanish

pytestmark = pytest.mark.django_db


@pytest.fixture
def account() -> CreditAccount:
    return consenting(CooperativeFactory(name="Coop Panadera"))[0]


def page_of(account: CreditAccount) -> str:
    return f"/my/cooperatives/{account.cooperative.slug}/credit/ARS/"


def consent_post(browser, account: CreditAccount, consent: bool):  # type: ignore[no-untyped-def]
    return browser.post(page_of(account) + "consent/", {"clearing_consent": str(consent)})


def test_an_owner_withdraws_the_consent_then_gives_it_again(account):
    owner = owner_of(account.cooperative)
    browser = spanish(owner)
    page = text(browser.get(page_of(account)))
    assert "Compensación de facturas" in page and "Retirar el consentimiento" in page
    assert "una propuesta ya hecha que las incluye no se ejecuta" in page
    assert 'name="clearing_consent" value="False"' in page  # the button asks to withdraw

    withdrawn = consent_post(browser, account, False)
    assert withdrawn.status_code == 302 and withdrawn["Location"] == page_of(account)
    assert messages_of(withdrawn) == [
        "Consentimiento retirado: tus facturas quedan fuera de la compensación desde ahora."
    ]
    account.refresh_from_db()
    assert not account.clearing_consent and account.consent_changed_at is not None
    page = text(browser.get(page_of(account)))
    assert "Dar el consentimiento de nuevo" in page and "Retirar el consentimiento" not in page
    assert 'name="clearing_consent" value="True"' in page

    given = consent_post(browser, account, True)
    assert messages_of(given) == [
        "Consentimiento dado: tus facturas vuelven a participar en la compensación."
    ]
    account.refresh_from_db()
    assert account.clearing_consent
    # Each change is an event row, shown newest first on the page with who made it.
    changes = ConsentLog.objects.filter(account=account)
    assert [(c.clearing_consent, c.changed_by) for c in changes] == [(True, owner), (False, owner)]
    page = text(browser.get(page_of(account)))
    assert "Cambios del consentimiento" in page
    assert page.index("Dado") < page.index("Retirado", page.index("Cambios del consentimiento"))
    assert page.count(f"Cambiado por {owner.name}") == 2


def test_an_admin_may_withdraw_too(account):
    admin = MembershipFactory(cooperative=account.cooperative, role=Role.ADMIN).user
    consent_post(spanish(admin), account, False)
    account.refresh_from_db()
    assert not account.clearing_consent


def test_a_plain_member_sees_the_state_without_a_button_and_a_forged_post_is_refused(account):
    member = MembershipFactory(cooperative=account.cooperative, role=Role.MEMBER).user
    browser = spanish(member)
    page = text(browser.get(page_of(account)))
    assert "Tu cooperativa participa" in page
    assert "Solo quienes son dueños o administran la cooperativa pueden cambiar esto." in page
    assert "/consent/" not in page

    forged = consent_post(browser, account, False)
    assert forged.status_code == 302
    assert messages_of(forged) == [
        "Solo quienes son dueños o administran la cooperativa deciden esto."
    ]
    account.refresh_from_db()
    assert account.clearing_consent and account.consent_changed_at is None


def test_a_post_without_the_choice_changes_nothing(account):
    browser = spanish(owner_of(account.cooperative))
    refused = browser.post(page_of(account) + "consent/", {})
    assert refused.status_code == 302 and messages_of(refused)
    account.refresh_from_db()
    assert account.clearing_consent and account.consent_changed_at is None


def test_someone_outside_the_cooperative_gets_a_404(account):
    browser = spanish(UserFactory())
    assert browser.get(page_of(account)).status_code == 404
    assert consent_post(browser, account, False).status_code == 404
    account.refresh_from_db()
    assert account.clearing_consent
