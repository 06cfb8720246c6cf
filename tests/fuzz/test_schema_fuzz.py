"""Schema-driven fuzzing: schemathesis reads `/api/schema/` from the live test server and sends
every operation requests made from it, valid and invalid, as four personas (anonymous, a member
of two cooperatives, the owner of the buyer cooperative, a moderator). Every check of
schemathesis runs: no server error; a status code, content type, headers and body the schema
documents; what the schema forbids refused and what it allows accepted (docs/testing.md, "Schema
fuzzing").

Each persona is one test; each operation one subtest, so a failure names the operation and gives
a curl command to replay it. Examples per operation: MINGA_FUZZ_EXAMPLES (default 10, the CI
budget); `make fuzz` runs 200 before a release."""

import os
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st

from tests.fuzz.world import World, build_world

EXAMPLES = int(os.environ.get("MINGA_FUZZ_EXAMPLES", "10"))
# The coverage phase adds, per operation, requests at each boundary of each parameter and field
# (missing, empty, too long, wrong type...): hundreds per operation, so releases only.
COVERAGE = os.environ.get("MINGA_FUZZ_COVERAGE", "") == "1"
PERSONAS = ["anonymous", "member", "owner", "moderator"]

# MINGA_FUZZ_CHECKS=all (`make fuzz`): every check of schemathesis, `negative_data_rejection` (what
# the schema forbids is refused with a 4xx) and `positive_data_acceptance` (what it allows is not
# refused) included. Otherwise (CI: docs/testing.md says why) the
# conformance checks: no 5xx, and a status, content type and body the schema documents.
ALL_CHECKS = os.environ.get("MINGA_FUZZ_CHECKS", "") == "all"
CONFORMANCE = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
# Signing out with an API key revokes it, and a key can be revoked by id: a persona would lose its
# key mid-run. Both are tested with real keys in tests/accounts/test_tokens.py.
KEEPS_THE_KEY = r"^/api/v1/auth/(logout/|tokens/\{token_id\}/)$"

# Where a request the schema allows may still be a 400 for a reason no schema can state (the
# operation, and why). Everywhere else, a schema-valid request refused with a 400 is a schema that
# says too little (docs/testing.md, "Schema fuzzing").
SEMANTIC_400 = {
    "v1_auth_register_create": "a weak password (the password validators)",
    "v1_auth_login_create": "a wrong e-mail or password",
    "v1_auth_token_create": "a wrong e-mail or password",
    "v1_me_destroy": "a wrong password",
    "v1_payments_stripe_webhook_create": "an unsigned or wrongly signed event",
    "v1_listings_list": "a price range without its currency; a category that does not exist",
    "v1_listings_create": "a category or currency that does not exist",
    "v1_reports_create": "a listing out of the catalogue (a 400 like an unknown id, so the "
    "answer does not tell whether a hidden listing exists); neither listing nor cooperative",
    "v1_listings_images_create": "a file that is not a JPEG, PNG or WebP image",
    "v1_cooperatives_verification_create": "a file that is not a PDF, JPEG, PNG or WebP",
    "v1_cooperatives_catalogue_import_create": "a file that is not UTF-8 CSV with our columns",
    # schemathesis 4 spells null in a form as the text "null"; DRF (like a browser) spells it
    # as an empty field: a form with "null" for the nullable numbers is refused.
    "v1_cooperatives_create": 'the text "null" in a form for founded_year or member_count',
    "v1_cooperatives_partial_update": 'the text "null" in a form for founded_year or member_count',
    "v1_cooperatives_payout_details_partial_update": "the fields and check digits of the "
    "cooperative's country (its stored country decides which: no request schema can)",
}

# Operations that must answer 2xx at least once, per persona (of 82; see the printed summary).
MIN_SUCCEEDED = {"anonymous": 6, "member": 30, "owner": 20, "moderator": 30}

# The API's answers do not depend on the database engine: CI fuzzes once, on PostgreSQL.
pytestmark = [pytest.mark.fuzz, pytest.mark.one_engine]


def fuzz_config(headers: dict[str, str]) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": 20261127,
            "headers": headers,
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "fuzzing": {"enabled": True},
                "coverage": {"enabled": COVERAGE},
                "stateful": {"enabled": False},
            },
            "checks": (
                {"enabled": True}
                if ALL_CHECKS
                else {"enabled": False, **{name: {"enabled": True} for name in CONFORMANCE}}
            ),
            "operations": [
                {
                    "include-operation-id": sorted(SEMANTIC_400),
                    "checks": {
                        "positive_data_acceptance": {
                            "expected-statuses": ["2xx", "3xx", 400, 401, 403, 404, 409, 429]
                        }
                    },
                },
                *(
                    [{"include-path-regex": KEEPS_THE_KEY, "enabled": False}]
                    if "Authorization" in headers
                    else []
                ),
            ],
            "request-timeout": 30,
        }
    )


@pytest.fixture(params=PERSONAS)
def persona(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def world(transactional_db: None) -> World:
    """A fresh demo world per persona (the live server commits: the database is flushed after
    each test)."""
    return build_world()


def _path_key(path: str, name: str) -> str:
    if name in ("pk", "id"):
        return "cart_line_pk" if path.startswith("/api/v1/cart/") else "order_pk"
    return name


def _add_real_values(schema: Any, world: World) -> None:
    """About half the generated path parameters (and `cooperative`/`listing` in queries and JSON
    bodies) are replaced by ids that exist, so requests get past the 404 into the real code."""

    @schema.hook("flatmap_path_parameters")
    def real_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        path = context.operation.path
        choices = {}
        for name in path_parameters or {}:
            values = world.values.get(_path_key(path, name))
            if values:
                choices[name] = st.sampled_from(values)
        if not choices:
            return st.just(path_parameters)
        real = st.fixed_dictionaries(choices).map(lambda chosen: {**path_parameters, **chosen})
        return st.one_of(st.just(path_parameters), real)

    def with_real(container: Any) -> Any:
        if not isinstance(container, dict):
            return st.just(container)
        choices = {
            name: st.sampled_from(world.values[name])
            for name in ("cooperative", "listing")
            if name in container and world.values.get(name)
        }
        if not choices:
            return st.just(container)
        real = st.fixed_dictionaries(choices).map(lambda chosen: {**container, **chosen})
        return st.one_of(st.just(container), real)

    schema.hook("flatmap_query")(lambda context, query: with_real(query))
    schema.hook("flatmap_body")(lambda context, body: with_real(body))


@pytest.fixture
def api_schema(live_server: Any, world: World, persona: str) -> Iterator[Any]:
    headers = {}
    if persona != "anonymous":
        headers["Authorization"] = f"Token {world.tokens[persona]}"
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json",
        config=fuzz_config(headers),
        timeout=60,  # building the schema takes seconds on a busy machine
    )
    _add_real_values(schema, world)
    answered: dict[str, set[int]] = defaultdict(set)

    @schema.hook("after_call")
    def record(context: Any, case: Any, response: Any) -> None:
        answered[case.operation.label].add(response.status_code)

    yield schema
    _assert_the_fuzzing_reached_the_code(persona, answered)


def _assert_the_fuzzing_reached_the_code(persona: str, answered: dict[str, set[int]]) -> None:
    """Schema checks pass just as well when every request bounces off a 401 or a 404: make sure
    enough of them got through (a broken token or world would otherwise go unnoticed)."""
    succeeded = [label for label, codes in answered.items() if any(c < 300 for c in codes)]
    summary = "\n".join(f"  {label}: {sorted(codes)}" for label, codes in sorted(answered.items()))
    print(f"\n{persona}: {len(succeeded)} of {len(answered)} operations answered 2xx\n{summary}")
    assert len(succeeded) >= MIN_SUCCEEDED[persona], (
        f"only {len(succeeded)} operations answered 2xx to {persona}:\n{summary}"
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_api_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate()
