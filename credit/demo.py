"""Demo mutual credit: a credit system per currency (ARS, UYU, BRL) with its terms, a credit
committee of two (so that four eyes can be seen), and an Argentine, a Uruguayan and a Brazilian
cooperative that joined all three, with lines the committee set. Idempotent: what exists is left
as it is."""

from typing import Any

from django.contrib.auth.models import Group

from cooperatives.demo import DEMO_PASSWORD, demo_user, manager_of
from cooperatives.models import Cooperative
from credit import services
from credit.models import CreditAccount, CreditSystem, CreditTerms
from credit.permissions import CREDIT_COMMITTEE_GROUP

COMMITTEE = (("comite@minga.test", "Rosa Comité"), ("comite2@minga.test", "Hugo Comité"))
# The Argentine, the Uruguayan and the Brazilian cooperative of the demo's clearing loop.
MEMBERS = ("grafica-estrella-del-sur", "consumo-montevideo-solidario", "recicla-vida")
# currency: (system name, default upper limit, the line the committee gives each member), in
# minor units; the lines stay within the four-eyes threshold.
SYSTEMS = {
    "ARS": ("Crédito Minga ARS", 5_000_000_00, 500_000_00),
    "UYU": ("Crédito Minga UYU", 200_000_00, 20_000_00),
    "BRL": ("Crédito Minga BRL", 25_000_00, 2_500_00),
}
# The share of a price the loop's members accept in credit (basis points): all of it, from
# another member; a cooperative's own page changes it.
MEMBER_CREDIT_SHARE_BPS = 10_000
TERMS = (
    "1. Un crédito vale una unidad de la moneda del sistema. / One credit is one unit of the "
    "system's currency.\n"
    "2. La suma de todos los saldos es siempre cero; un saldo negativo se devuelve vendiendo a "
    "cualquier miembro. / All balances sum to zero; a negative balance is repaid by selling to "
    "any member.\n"
    "3. El comité de crédito fija la línea y el límite superior de cada cuenta, con un motivo. / "
    "The credit committee sets each account's line and upper limit, with a reason.\n"
    "4. Las facturas abiertas entre participantes pueden compensarse en rondas de clearing; el "
    "consentimiento es revocable. / Open invoices between participants may be set off in "
    "clearing runs; consent is revocable."
)


def seed(out: Any) -> list[str]:
    created: list[str] = []
    group, _created = Group.objects.get_or_create(name=CREDIT_COMMITTEE_GROUP)
    committee = [demo_user(email, name, created) for email, name in COMMITTEE]
    for person in committee:
        person.groups.add(group)
    members = list(Cooperative.objects.filter(slug__in=MEMBERS).order_by("pk"))
    Cooperative.objects.filter(pk__in=[c.pk for c in members], credit_share_bps=0).update(
        credit_share_bps=MEMBER_CREDIT_SHARE_BPS
    )
    for currency, (name, upper, line) in SYSTEMS.items():
        system, _new = CreditSystem.objects.get_or_create(
            currency=currency, defaults={"name": name, "default_upper_limit": upper}
        )
        terms, _new = CreditTerms.objects.get_or_create(
            system=system, version=1, defaults={"text": TERMS}
        )
        for cooperative in members:
            actor = manager_of(cooperative)
            if (
                actor is None
                or CreditAccount.objects.filter(system=system, cooperative=cooperative).exists()
            ):
                continue
            account, _opened = services.credit_system_join(
                system=system, cooperative=cooperative, actor=actor, terms_version=terms.version
            )
            services.credit_line_set(
                account=account,
                actor=committee[0],
                lower_limit=-line,
                upper_limit=upper,
                reason="Demo: línea inicial según el comercio del último año.",
            )
    return [
        f"Mutual credit: systems in {', '.join(SYSTEMS)}; credit committee "
        f"{' and '.join(email for email, _name in COMMITTEE)} (password {DEMO_PASSWORD})."
    ]
