"""The checks of payout details: each identifier's check digits, with real published examples
and the same numbers with one digit changed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cooperatives.models import PayoutDetails
from cooperatives.payout_validation import (
    clean_alias,
    clean_bic,
    clean_brazilian_phone,
    clean_cbu,
    clean_cnpj,
    clean_cpf,
    clean_evp,
    clean_iban,
    clean_pix_key,
    display_rows,
    is_cvu,
    validate_payout_details,
)
from tests.cooperatives.helpers import CBU

VALID_CVU = "0000003110001000000004"  # a CVU (starts with 000), check digits 1 and 4


def messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


class TestCbu:
    def test_a_cbu_and_a_cvu_with_right_check_digits_pass(self) -> None:
        assert clean_cbu("285 0590 9400 9041 8135 201") == CBU
        assert clean_cbu(VALID_CVU) == VALID_CVU
        assert is_cvu(VALID_CVU) and not is_cvu(CBU)

    def test_a_wrong_first_check_digit_is_named(self) -> None:
        with pytest.raises(ValidationError) as exc:
            clean_cbu(CBU[:7] + "4" + CBU[8:])
        assert "digit 8" in messages(exc)

    def test_a_wrong_second_check_digit_is_named(self) -> None:
        with pytest.raises(ValidationError) as exc:
            clean_cbu(CBU[:21] + "4")
        assert "digit 22" in messages(exc)

    def test_a_swapped_pair_of_digits_is_caught(self) -> None:
        swapped = CBU[:8] + CBU[9] + CBU[8] + CBU[10:]
        with pytest.raises(ValidationError):
            clean_cbu(swapped)

    @pytest.mark.parametrize("value", ["123", CBU + "0", "28505909400904181352OI"])
    def test_anything_but_22_digits_is_refused(self, value: str) -> None:
        with pytest.raises(ValidationError) as exc:
            clean_cbu(value)
        assert "22 digits" in messages(exc)

    def test_the_message_is_in_the_readers_language(self) -> None:
        with translation.override("es"), pytest.raises(ValidationError) as exc:
            clean_cbu("123")
        assert "22 dígitos" in messages(exc)


@pytest.mark.parametrize("alias", ["MESA.SILLA.LAMPARA", "coop-huella", "abc123"])
def test_aliases_of_6_to_20_letters_digits_dots_hyphens(alias: str) -> None:
    assert clean_alias(alias) == alias.upper()


@pytest.mark.parametrize("alias", ["corto", "a" * 21, "con espacio", "ñandú.coop"])
def test_other_aliases_are_refused(alias: str) -> None:
    with pytest.raises(ValidationError):
        clean_alias(alias)


class TestPix:
    def test_cpf(self) -> None:
        assert clean_pix_key("cpf", "529.982.247-25") == "52998224725"
        for wrong in ("529.982.247-24", "111.111.111-11", "5299822472"):
            with pytest.raises(ValidationError):
                clean_cpf(wrong)

    def test_cnpj_numeric_and_alphanumeric(self) -> None:
        assert clean_cnpj("11.222.333/0001-81") == "11222333000181"
        assert clean_cnpj("12.ABC.345/01DE-35") == "12ABC34501DE35"  # Receita Federal's example
        for wrong in ("11.222.333/0001-80", "00000000000000", "12ABC34501DE36"):
            with pytest.raises(ValidationError):
                clean_cnpj(wrong)

    def test_phone_is_e164_with_55(self) -> None:
        assert clean_brazilian_phone("(11) 91234-5678") == "+5511912345678"
        assert clean_brazilian_phone("+55 11 91234 5678") == "+5511912345678"
        for wrong in ("+54 11 91234 5678", "12345", "+550112345678"):
            with pytest.raises(ValidationError):
                clean_brazilian_phone(wrong)

    def test_random_key_and_email(self) -> None:
        key = "123E4567-E89B-12D3-A456-426614174000"
        assert clean_evp(key) == key.lower()
        assert clean_pix_key("email", " Pix@Coop.Example ") == "pix@coop.example"
        with pytest.raises(ValidationError):
            clean_evp("not-a-key")
        with pytest.raises(ValidationError):
            clean_pix_key("email", "no-at-sign")
        with pytest.raises(ValidationError):
            clean_pix_key("bitcoin", "x")


class TestIban:
    @pytest.mark.parametrize(
        "iban",
        ["ES91 2100 0418 4502 0005 1332", "DE89370400440532013000", "GB82WEST12345698765432"],
    )
    def test_published_examples_pass(self, iban: str) -> None:
        assert clean_iban(iban) == iban.replace(" ", "")

    def test_a_changed_digit_fails_the_mod_97_check(self) -> None:
        with pytest.raises(ValidationError) as exc:
            clean_iban("ES91 2100 0418 4502 0005 1333")
        assert "check digits" in messages(exc)

    def test_a_spanish_iban_has_24_characters(self) -> None:
        with pytest.raises(ValidationError) as exc:
            clean_iban("ES91 2100 0418 4502 0005 133")
        assert "24" in messages(exc)

    def test_bic(self) -> None:
        assert clean_bic("caixesbbxxx") == "CAIXESBBXXX"
        assert clean_bic("CAIXESBB") == "CAIXESBB"
        with pytest.raises(ValidationError):
            clean_bic("CAIX")


class TestWholeDetails:
    def test_argentina_needs_a_cbu_or_an_alias_and_a_holder(self) -> None:
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("AR", {})
        assert set(exc.value.message_dict) == {"account_holder", "cbu"}
        cleaned = validate_payout_details(
            "AR", {"account_holder": "Coop", "alias": "huella.coop", "iban": "ignored"}
        )
        assert cleaned["alias"] == "HUELLA.COOP" and cleaned["iban"] == ""

    def test_every_bad_field_gets_its_own_message(self) -> None:
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("AR", {"account_holder": "C", "cbu": "1", "alias": "x"})
        assert set(exc.value.message_dict) == {"cbu", "alias"}

    def test_brazil_needs_a_pix_key_or_an_account(self) -> None:
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("BR", {"account_holder": "C"})
        assert "pix_key" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            validate_payout_details(
                "BR", {"account_holder": "C", "pix_key_type": "cnpj", "pix_key": "1"}
            )
        assert "pix_key" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("BR", {"account_holder": "C", "account_number": "123"})
        assert set(exc.value.message_dict) == {"branch"}

    def test_uruguay_needs_bank_and_account(self) -> None:
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("UY", {"account_holder": "C", "bank_name": "BROU"})
        assert set(exc.value.message_dict) == {"account_number"}

    def test_spain_needs_a_valid_iban(self) -> None:
        with pytest.raises(ValidationError) as exc:
            validate_payout_details("ES", {"account_holder": "C", "iban": "ES00"})
        assert set(exc.value.message_dict) == {"iban"}

    def test_buyers_read_labelled_rows(self) -> None:
        details = PayoutDetails(
            country="AR", account_holder="Coop", cbu=VALID_CVU, alias="HUELLA.COOP"
        )
        with translation.override("pt-br"):
            rows = display_rows(details)
        assert rows == [("Titular da conta", "Coop"), ("CVU", VALID_CVU), ("Alias", "HUELLA.COOP")]
