"""CSV export and import of a catalogue: round trip, idempotence, all-or-nothing, bad files."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from marketplace.models import Listing, ListingEvent
from tests.conftest import client_for
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db

HEADER = "sku,kind,title,description,category,price,currency,unit,stock,delivery_modes\n"


def import_url(cooperative):  # type: ignore[no-untyped-def]
    return f"/api/v1/cooperatives/{cooperative.slug}/catalogue/import/"


def post_csv(client, cooperative, data, **extra):  # type: ignore[no-untyped-def]
    if isinstance(data, str):
        data = data.encode()
    upload = SimpleUploadedFile("catalogue.csv", data, content_type="text/csv")
    return client.post(import_url(cooperative), {"file": upload, **extra}, format="multipart")


def export(client, cooperative):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/cooperatives/{cooperative.slug}/catalogue.csv")
    assert response.status_code == 200
    return response.content


def snapshot(cooperative):  # type: ignore[no-untyped-def]
    return list(Listing.objects.filter(cooperative=cooperative).order_by("pk").values())


@pytest.fixture
def good_file(coffee, textiles):  # type: ignore[no-untyped-def]
    return (
        HEADER
        + 'YM-1,product,Yerba mate,"Molienda gruesa, sin palo",test-coffee,1250.50,ARS,kg,40,pickup|shipping\n'
        + "CAM-2,product,Camiseta de algodón,,test-textiles,9000,ars,piece,,shipping\n"
        + "SRV-3,service,Costura a medida,Por hora,test-textiles,25.00,UYU,hour,,on_site\n"
    )


class TestImport:
    def test_creates_drafts(self, seller_owner, seller_coop, good_file, coffee):
        response = post_csv(client_for(seller_owner), seller_coop, good_file)
        assert response.status_code == 200, response.json()
        assert response.json() == {
            "created": 3,
            "updated": 0,
            "unchanged": 0,
            "sent_back_to_review": 0,
            "total": 3,
            "dry_run": False,
        }
        yerba = Listing.objects.get(cooperative=seller_coop, sku="YM-1")
        assert (yerba.status, yerba.price_amount, yerba.currency, yerba.category) == (
            "draft",
            125_050,
            "ARS",
            coffee,
        )
        assert yerba.description == "Molienda gruesa, sin palo"
        assert yerba.delivery_modes == ["pickup", "shipping"]
        assert yerba.created_by == seller_owner
        shirt = Listing.objects.get(sku="CAM-2")
        assert (shirt.stock, shirt.price_amount, shirt.currency) == (None, 900_000, "ARS")
        assert ListingEvent.objects.filter(action="import", to_status="draft").count() == 3

    def test_a_second_import_changes_nothing(self, seller_owner, seller_coop, good_file):
        client = client_for(seller_owner)
        post_csv(client, seller_coop, good_file)
        before = snapshot(seller_coop)
        response = post_csv(client, seller_coop, good_file)
        assert (response.json()["created"], response.json()["updated"]) == (0, 0)
        assert response.json()["unchanged"] == 3
        assert snapshot(seller_coop) == before

    def test_changed_rows_are_updated(self, seller_owner, seller_coop, good_file):
        client = client_for(seller_owner)
        post_csv(client, seller_coop, good_file)
        response = post_csv(client, seller_coop, good_file.replace("1250.50", "1300"))
        assert (response.json()["updated"], response.json()["unchanged"]) == (1, 2)
        assert Listing.objects.get(sku="YM-1").price_amount == 130_000

    def test_a_title_change_sends_a_published_listing_back_to_review(
        self, seller_owner, seller_coop, good_file
    ):
        client = client_for(seller_owner)
        post_csv(client, seller_coop, good_file)
        Listing.objects.filter(sku="YM-1").update(status="published")
        response = post_csv(client, seller_coop, good_file.replace("Yerba mate,", "Yerba suave,"))
        assert response.json()["sent_back_to_review"] == 1
        assert Listing.objects.get(sku="YM-1").status == "pending_review"

    def test_one_bad_row_changes_nothing_and_every_error_is_reported(
        self, seller_owner, seller_coop, good_file
    ):
        existing = ListingFactory(cooperative=seller_coop, sku="YM-1", price_amount=1)
        before = snapshot(seller_coop)
        bad = (
            good_file
            + "BAD-4,product,Mesa,,no-such-category,10,ARS,piece,,pickup\n"
            + "BAD-5,product,Silla,,test-textiles,-3,XXX,barrel,-1,drone\n"
            + "CAM-2,product,Otra camiseta,,test-textiles,10,ARS,piece,,pickup\n"
            + ",product,Sin sku,,test-textiles,10,ARS,piece,,pickup\n"
            + f"BAD-8,product,{'x' * 300},,test-textiles,10,ARS,piece,,pickup\n"
        )
        response = post_csv(client_for(seller_owner), seller_coop, bad)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_rows"
        by_line = {}
        for error in body["errors"]:
            by_line.setdefault(error["line"], []).append(error["column"])
        assert by_line[5] == ["category"]
        assert set(by_line[6]) == {"currency", "stock"}  # every bad cell, not just the first
        assert by_line[7] == ["sku"]
        assert by_line[8] == ["sku"]
        assert by_line[9] == ["title"]
        assert set(by_line) == {5, 6, 7, 8, 9}
        assert snapshot(seller_coop) == before
        assert existing.events.count() == 0

    def test_field_rules_are_all_reported_too(self, seller_owner, seller_coop, coffee):
        bad = HEADER + "X-1,gift,Mesa,,test-coffee,10,ARS,parsec,5,drone\n"
        body = post_csv(client_for(seller_owner), seller_coop, bad).json()
        assert {error["column"] for error in body["errors"]} == {"kind", "unit", "delivery_modes"}

    def test_dry_run_writes_nothing(self, seller_owner, seller_coop, good_file):
        response = post_csv(client_for(seller_owner), seller_coop, good_file, dry_run="true")
        assert response.json()["created"] == 3
        assert response.json()["dry_run"] is True
        assert not Listing.objects.exists()

    def test_spreadsheet_style_semicolons_and_decimal_commas(
        self, seller_owner, seller_coop, coffee
    ):
        data = "sku;kind;title;category;price;currency;unit\nA-1;product;Miel;test-coffee;12,5;EUR;kg\n"
        response = post_csv(client_for(seller_owner), seller_coop, data.encode("utf-8-sig"))
        assert response.status_code == 200, response.json()
        assert Listing.objects.get(sku="A-1").price_amount == 1250

    def test_prices_respect_the_currencys_decimals(self, seller_owner, seller_coop, coffee):
        data = "sku,kind,title,category,price,currency,unit\nJ-1,product,Té,test-coffee,1500.5,JPY,kg\n"
        body = post_csv(client_for(seller_owner), seller_coop, data).json()
        assert body["errors"][0]["column"] == "price"
        assert "JPY amounts have no decimals" in body["errors"][0]["message"]

    def test_a_multiline_cell_keeps_line_numbers_right(self, seller_owner, seller_coop, coffee):
        data = HEADER + (
            'A-1,product,Miel,"Línea uno\nLínea dos",test-coffee,10,ARS,kg,,pickup\n'
            "A-2,product,Miel,,test-coffee,10,ARS,furlong,,pickup\n"
        )
        body = post_csv(client_for(seller_owner), seller_coop, data).json()
        assert [error["line"] for error in body["errors"]] == [4]


class TestBadFiles:
    def _refused(self, client, cooperative, data, code):  # type: ignore[no-untyped-def]
        response = post_csv(client, cooperative, data)
        assert response.status_code == 400, response.json()
        assert response.json()["code"] == code
        assert not Listing.objects.exists()
        return response.json()["detail"]

    def test_wrong_header(self, seller_owner, seller_coop, coffee):
        data = "name,price\nMiel,10\n"
        detail = self._refused(client_for(seller_owner), seller_coop, data, "header")
        assert "unknown column(s) 'name'" in detail
        assert "missing column(s) sku" in detail

    def test_wrong_encoding(self, seller_owner, seller_coop, coffee):
        data = (HEADER + "A-1,product,Algodón,,test-coffee,10,ARS,kg,,pickup\n").encode("latin-1")
        detail = self._refused(client_for(seller_owner), seller_coop, data, "encoding")
        assert "UTF-8" in detail

    def test_too_many_rows(self, seller_owner, seller_coop, coffee):
        row = "A-{},product,Miel,,test-coffee,10,ARS,kg,,pickup\n"
        data = HEADER + "".join(row.format(n) for n in range(10_000))
        detail = self._refused(client_for(seller_owner), seller_coop, data, "too_many_rows")
        assert "5000" in detail

    def test_an_empty_file(self, seller_owner, seller_coop):
        response = post_csv(client_for(seller_owner), seller_coop, b"")
        assert response.status_code == 400
        assert "file" in response.json()

    def test_a_file_with_only_blank_lines(self, seller_owner, seller_coop):
        self._refused(client_for(seller_owner), seller_coop, b"\n\n", "header")

    def test_a_binary_file(self, seller_owner, seller_coop):
        self._refused(
            client_for(seller_owner), seller_coop, b"\x89PNG\r\n\x1a\n\x00\xff", "encoding"
        )

    def test_members_may_not_import_and_strangers_do_not_see(
        self, seller_member, buyer_owner, seller_coop, good_file
    ):
        assert post_csv(client_for(seller_member), seller_coop, good_file).status_code == 403
        assert post_csv(client_for(buyer_owner), seller_coop, good_file).status_code == 404
        assert not Listing.objects.exists()


class TestExport:
    def test_round_trip_is_a_no_op(self, seller_owner, seller_coop, coffee, textiles):
        ListingFactory(
            cooperative=seller_coop,
            category=coffee,
            sku="K-1",
            title='=HYPERLINK("http://evil")',
            description='Con "comillas", comas\ny saltos',
            price_amount=1999,
            currency="EUR",
            stock=None,
            countries_served=["AR", "UY"],
            regions_served="-Cuyo",
            language="es",
        )
        ListingFactory(
            cooperative=seller_coop, category=textiles, sku="", status="draft", lead_time_days=7
        )
        ListingFactory(
            cooperative=seller_coop, category=textiles, sku="", kind="service", unit="hour"
        )
        ListingFactory(cooperative=seller_coop, category=textiles, sku="OLD", status="archived")
        client = client_for(seller_owner)
        before = snapshot(seller_coop)
        exported = export(client, seller_coop)
        assert exported.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
        assert len(rows) == 3  # archived listings stay out
        assert rows[2]["title"] == '\'=HYPERLINK("http://evil")'  # no formula in a spreadsheet
        response = post_csv(client, seller_coop, exported)
        assert response.status_code == 200, response.json()
        assert response.json() | {"total": 0} == {
            "created": 0,
            "updated": 0,
            "unchanged": 3,
            "sent_back_to_review": 0,
            "total": 0,
            "dry_run": False,
        }
        assert snapshot(seller_coop) == before

    def test_export_carries_a_file_name_and_is_for_members(
        self, api, seller_member, buyer_owner, seller_coop
    ):
        url = f"/api/v1/cooperatives/{seller_coop.slug}/catalogue.csv"
        response = client_for(seller_member).get(url)
        assert response["Content-Type"].startswith("text/csv")
        assert f'filename="{seller_coop.slug}-catalogue.csv"' in response["Content-Disposition"]
        assert client_for(buyer_owner).get(url).status_code == 404
        assert api.get(url).status_code in (401, 403)


class TestCommand:
    def test_imports_with_progress(self, tmp_path, seller_coop, good_file, capsys):
        path = tmp_path / "catalogue.csv"
        path.write_text(good_file, encoding="utf-8")
        call_command("import_catalogue", seller_coop.slug, str(path))
        out = capsys.readouterr().out
        assert "3/3" in out and "3 created" in out
        call_command("import_catalogue", seller_coop.slug, str(path))
        assert "3 unchanged" in capsys.readouterr().out
        assert Listing.objects.count() == 3

    def test_reports_errors_with_lines_and_fails(self, tmp_path, seller_coop, good_file, capsys):
        path = tmp_path / "catalogue.csv"
        path.write_text(good_file + "B-1,product,Mesa,,nowhere,10,ARS,piece,,pickup\n")
        with pytest.raises(CommandError):
            call_command("import_catalogue", seller_coop.slug, str(path))
        assert "line 5 [category]" in capsys.readouterr().err
        assert not Listing.objects.exists()

    def test_unknown_cooperative(self, tmp_path):
        with pytest.raises(CommandError):
            call_command("import_catalogue", "nobody", str(tmp_path / "x.csv"))
