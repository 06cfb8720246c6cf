"""Resources localstripe lacks: Connect accounts, transfers, transfer reversals, disputes."""

from __future__ import annotations

from typing import Any

from localstripe import resources as ls
from localstripe.errors import UserError

from tests.stripe_standin.state import (
    CURRENCY_BY_COUNTRY,
    EURO_COUNTRIES,
    REVERSAL,
    as_bool,
    as_int,
    bad_request,
    emit,
    list_of,
    listed_by,
    not_allowed,
)


class Account(ls.StripeObject):
    object = "account"
    _id_prefix = "acct_"

    def __init__(
        self,
        type=None,
        country=None,
        email=None,
        capabilities=None,
        metadata=None,
        business_type=None,
        business_profile=None,
        tos_acceptance=None,
        controller=None,
        default_currency=None,
        **kwargs,
    ):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        if type not in (None, "express", "custom", "standard"):
            raise bad_request("Invalid account type", param="type")
        if country is not None and not (isinstance(country, str) and len(country) == 2):
            raise bad_request("Invalid country", param="country")
        if capabilities is not None and not isinstance(capabilities, dict):
            raise bad_request("Invalid capabilities", param="capabilities")
        if metadata is not None and not isinstance(metadata, dict):
            raise bad_request("Invalid metadata", param="metadata")
        country = (country or "US").upper()
        requested = [
            name
            for name, options in (capabilities or {}).items()
            if isinstance(options, dict) and as_bool(options.get("requested")) is True
        ]

        super().__init__()

        self.type = type or "express"
        self.country = country
        self.email = email
        self.metadata = metadata or {}
        self.business_type = business_type
        self.business_profile = business_profile or {}
        self.controller = controller or {"type": "application", "is_controller": True}
        self.tos_acceptance = tos_acceptance or {}
        self.default_currency = default_currency or (
            "eur" if country in EURO_COUNTRIES else CURRENCY_BY_COUNTRY.get(country, "usd")
        )
        self.capabilities = dict.fromkeys(requested or ["transfers"], "inactive")
        self.details_submitted = False
        self.charges_enabled = False
        self.payouts_enabled = False
        self.requirements = self._requirements_due()
        self.settings = {}

    @staticmethod
    def _requirements_due() -> dict[str, Any]:
        due = ["business_type", "external_account", "tos_acceptance.date", "tos_acceptance.ip"]
        return {
            "currently_due": due,
            "eventually_due": due,
            "past_due": due,
            "pending_verification": [],
            "errors": [],
            "current_deadline": None,
            "disabled_reason": "requirements.past_due",
        }

    def _snapshot(self) -> dict[str, Any]:
        return {
            "capabilities": dict(self.capabilities),
            "charges_enabled": self.charges_enabled,
            "details_submitted": self.details_submitted,
            "payouts_enabled": self.payouts_enabled,
            "requirements": dict(self.requirements),
        }

    def _set_state(
        self,
        *,
        details_submitted=None,
        charges_enabled=None,
        payouts_enabled=None,
        transfers=None,
        disabled_reason=Ellipsis,
        notify=True,
    ) -> None:
        before = self._snapshot()
        if details_submitted is not None:
            self.details_submitted = bool(details_submitted)
        if charges_enabled is not None:
            self.charges_enabled = bool(charges_enabled)
            if "card_payments" in self.capabilities:
                self.capabilities["card_payments"] = "active" if charges_enabled else "inactive"
        if payouts_enabled is not None:
            self.payouts_enabled = bool(payouts_enabled)
        if transfers is not None:
            if transfers not in ("active", "inactive", "pending"):
                raise bad_request("transfers must be active, inactive or pending")
            self.capabilities["transfers"] = transfers
        if disabled_reason is not Ellipsis:
            if disabled_reason:
                self.requirements = self._requirements_due()
                self.requirements["disabled_reason"] = disabled_reason
            else:
                self.requirements = {
                    "currently_due": [],
                    "eventually_due": [],
                    "past_due": [],
                    "pending_verification": [],
                    "errors": [],
                    "current_deadline": None,
                    "disabled_reason": None,
                }
        after = self._snapshot()
        if notify and after != before:
            previous = {key: value for key, value in before.items() if after[key] != value}
            emit("account.updated", self, account=self.id, previous_attributes=previous)

    def _onboard(self, notify=True) -> None:
        self._set_state(
            details_submitted=True,
            charges_enabled="card_payments" in self.capabilities,
            payouts_enabled=True,
            transfers="active",
            disabled_reason=None,
            notify=notify,
        )

    def _restrict(self, notify=True) -> None:
        self._set_state(
            charges_enabled=False,
            payouts_enabled=False,
            transfers="inactive",
            disabled_reason="requirements.past_due",
            notify=notify,
        )

    _api_list_all = listed_by()


class Transfer(ls.StripeObject):
    object = "transfer"
    _id_prefix = "tr_"

    def __init__(
        self,
        amount=None,
        currency=None,
        destination=None,
        transfer_group=None,
        source_transaction=None,
        metadata=None,
        description=None,
        source_type=None,
        **kwargs,
    ):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        amount = as_int(amount)
        if not (isinstance(amount, int) and amount > 0):
            raise bad_request("Invalid positive integer", param="amount")
        if not (isinstance(currency, str) and len(currency) == 3):
            raise bad_request("Invalid currency", param="currency")
        currency = currency.lower()
        if metadata is not None and not isinstance(metadata, dict):
            raise bad_request("Invalid metadata", param="metadata")
        if transfer_group is not None and not isinstance(transfer_group, str):
            raise bad_request("Invalid transfer_group", param="transfer_group")
        account = ls.store.get(f"account:{destination}") if isinstance(destination, str) else None
        if account is None:
            raise bad_request(
                f"No such destination: '{destination}'",
                code="resource_missing",
                param="destination",
            )
        if account.capabilities.get("transfers") != "active":
            raise bad_request(
                "Your destination account needs to have at least one of the following "
                "capabilities enabled: transfers, crypto_transfers, legacy_payments",
                code="insufficient_capabilities_for_transfer",
                param="destination",
            )
        if source_transaction is not None:
            charge = ls.store.get(f"charge:{source_transaction}")
            if charge is None:
                raise bad_request(
                    f"No such charge: '{source_transaction}'",
                    code="resource_missing",
                    param="source_transaction",
                )
            if charge.status == "failed":
                raise bad_request(
                    "The source transaction failed and cannot fund a transfer.",
                    param="source_transaction",
                )
            if charge.currency.lower() != currency:
                raise bad_request(
                    f"The currency of source_transaction's balance transaction ({charge.currency}) must be the "
                    f"same as the transfer currency ({currency}).",
                    param="currency",
                )
            funded = sum(
                transfer.amount - transfer.amount_reversed
                for transfer in Transfer._all()
                if transfer.source_transaction == source_transaction
            )
            if funded + amount > charge.amount:
                raise bad_request(
                    f"Insufficient funds in the source transaction: {funded} of {charge.amount} "
                    "already transferred.",
                    code="balance_insufficient",
                    param="amount",
                )

        super().__init__()

        self.amount = amount
        self.currency = currency
        self.destination = destination
        self.destination_payment = "py_" + ls.random_id(24)
        self.transfer_group = transfer_group
        self.source_transaction = source_transaction
        self.source_type = source_type or "card"
        self.metadata = metadata or {}
        self.description = description
        self.balance_transaction = "txn_" + ls.random_id(24)
        emit("transfer.created", self)

    @classmethod
    def _all(cls) -> list[Transfer]:
        return [value for key, value in ls.store.items() if key.startswith("transfer:")]

    @property
    def reversals(self):
        result = list_of(TransferReversal, f"/v1/transfers/{self.id}/reversals", transfer=self.id)
        return result

    @property
    def amount_reversed(self) -> int:
        return sum(
            reversal.amount
            for key, reversal in ls.store.items()
            if key.startswith("transfer_reversal:") and reversal.transfer == self.id
        )

    @property
    def reversed(self) -> bool:
        return self.amount_reversed >= self.amount

    _api_list_all = listed_by("destination", "transfer_group")
    _api_delete = not_allowed


class TransferReversal(ls.StripeObject):
    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(
        self,
        transfer=None,
        amount=None,
        metadata=None,
        description=None,
        refund_application_fee=None,
        **kwargs,
    ):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        transfer_obj = ls.store.get(f"transfer:{transfer}") if isinstance(transfer, str) else None
        if transfer_obj is None:
            raise bad_request(f"No such transfer: '{transfer}'", code="resource_missing")
        left = transfer_obj.amount - transfer_obj.amount_reversed
        amount = REVERSAL.amount(amount, left=left, of=transfer)
        if not (isinstance(amount, int) and amount > 0):
            raise bad_request("Invalid positive integer", param="amount")
        if metadata is not None and not isinstance(metadata, dict):
            raise bad_request("Invalid metadata", param="metadata")

        super().__init__()

        self.transfer = transfer
        self.amount = amount
        self.currency = transfer_obj.currency
        self.metadata = metadata or {}
        self.description = description
        self.destination_payment_refund = "pyr_" + ls.random_id(24)
        self.source_refund = None
        self.balance_transaction = "txn_" + ls.random_id(24)
        emit("transfer.reversed", transfer_obj)

    _api_list_all = not_allowed


class Dispute(ls.StripeObject):
    object = "dispute"
    _id_prefix = "dp_"

    def __init__(self, charge=None, amount=None, reason=None, **kwargs):
        if kwargs:
            raise UserError(400, "Unexpected " + ", ".join(kwargs.keys()))
        charge_obj = ls.store.get(f"charge:{charge}") if isinstance(charge, str) else None
        if charge_obj is None:
            raise bad_request(f"No such charge: '{charge}'", code="resource_missing")
        amount = charge_obj.amount if amount is None else as_int(amount)
        if not (isinstance(amount, int) and 0 < amount <= charge_obj.amount):
            raise bad_request("Invalid dispute amount", param="amount")

        super().__init__()

        self.charge = charge
        self.payment_intent = charge_obj.payment_intent
        self.amount = amount
        self.currency = charge_obj.currency
        self.reason = reason or "fraudulent"
        self.status = "needs_response"
        self.is_charge_refundable = False
        self.metadata = {}
        self.evidence_details = {
            "due_by": self.created + 7 * 24 * 3600,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        }
        charge_obj.disputed = True

    _api_create = _api_update = _api_delete = not_allowed
    _api_list_all = listed_by("charge", "payment_intent")
