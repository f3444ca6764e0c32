"""Schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

spec/README.md ("Schemathesis") names each hook with its evidence. `map_body` points generated
Essentials bodies at an SBC the target has, so schema-valid bodies reach the server's real work
instead of all ending at "unknown SBC"; `filter_failure` drops only a failure whose cause the
contract cannot state, and only when the answer names that cause itself. Neither changes how a
response is validated.
"""

import json
import os

import schemathesis

# The sandbox's words for a reference to an SBC or script the tenant does not have
# (src/sandbox/handlers.ts, createEssentialsCustomer).
_UNKNOWN_SBC_PREFIXES = ("No SBC with id ", "SBC ")


def _problem_errors(response):
    try:
        body = json.loads(response.content or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    errors = body.get("errors") if isinstance(body, dict) else None
    return errors if isinstance(errors, dict) and errors else None


def _only_unknown_sbc(response) -> bool:
    """A 400 whose every error is about siteLocation naming an SBC or script the tenant lacks."""
    if response.status_code != 400:
        return False
    errors = _problem_errors(response)
    if errors is None:
        return False
    for field, messages in errors.items():
        if not field.startswith("siteLocation."):
            return False
        if not isinstance(messages, list) or not all(
            isinstance(m, str) and m.startswith(_UNKNOWN_SBC_PREFIXES) for m in messages
        ):
            return False
    return True


def _known_sbc():
    # LP_ST_SBC: {"id": 5, "onboardingScript": 7, "cleanupScript": 700}; the default is the
    # sandbox's fixture SBC (the vendor's example request).
    raw = os.environ.get("LP_ST_SBC") or '{"id": 5, "onboardingScript": 7, "cleanupScript": 700}'
    sbc = json.loads(raw)
    return sbc["id"], sbc["onboardingScript"], sbc["cleanupScript"]


_SBC_ID, _ONBOARDING, _CLEANUP = _known_sbc()
_SITE_MEMBERS = ("sbcId", "sbcOnboardingScript", "sbcCleanupScript")


_INT64 = (-(2**63), 2**63 - 1)


def _is_int64(value) -> bool:
    # Past int64 is a negative case's value (the schema says int64): it must reach the server as is.
    return isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]


def _has_inexact_integer(value) -> bool:
    """Whether a JSON value holds an integer a double cannot hold exactly (past 2^53)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > 2**53
    if isinstance(value, dict):
        return any(_has_inexact_integer(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_inexact_integer(v) for v in value)
    if isinstance(value, str):
        return value.lstrip("-").isdigit() and abs(int(value)) > 2**53
    return False


@schemathesis.hook
def map_body(context, body):
    # Only a siteLocation whose three members are all integers (valid to the schema) is pointed at
    # the known SBC; every other member, and any broken siteLocation of a negative case, is kept,
    # so a negative case stays negative.
    operation = context.operation
    if operation is None or getattr(operation, "label", "") != "POST /api/v2/customer":
        return body
    site = body.get("siteLocation") if isinstance(body, dict) else None
    if isinstance(site, dict) and all(_is_int64(site.get(k)) for k in _SITE_MEMBERS):
        site = {**site, "sbcId": _SBC_ID, "sbcOnboardingScript": _ONBOARDING, "sbcCleanupScript": _CLEANUP}
        return {**body, "siteLocation": site}
    return body


def _prism_answer(response, problem_type: str) -> bool:
    """Prism wrote this answer itself (its own error type), not from the contract."""
    try:
        body = json.loads(response.content or b"")
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(body, dict) and (
        body.get("type") == problem_type
        or (problem_type == "invalid_json" and isinstance(body.get("error"), dict) and body["error"].get("code") == "invalid_json")
    )


_ON_MOCK = os.environ.get("LP_ST_TARGET") == "mock"


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    checks = getattr(failure, "checks", ())
    if _ON_MOCK:
        # Exclusion "prism-405": Prism answers a method the path does not declare with its own 405
        # and no `Allow` header. Prism's router, not the contract (the sandbox sends `Allow`).
        if "unsupported_method" in checks and response.status_code == 405 and _prism_answer(
            response, "https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR"
        ):
            return False
        # Exclusion "prism-invalid-json": a body that is not JSON gets Prism's own
        # `{"error": {"code": "invalid_json"}}` as application/json, before the contract is read.
        if "content_type_conformance" in checks and response.status_code == 400 and _prism_answer(
            response, "invalid_json"
        ):
            return False
        # Exclusion "prism-int64": Prism reads JSON numbers and path integers as doubles, so an
        # int64 past 2^53 is rounded before it is validated (2^63 - 2 becomes 2^63, past the
        # format's range). The sandbox checks these exactly; the mock cannot.
        if ("positive_data_acceptance" in checks or "negative_data_rejection" in checks) and (
            _has_inexact_integer(case.body)
            or _has_inexact_integer(dict(case.path_parameters or {}))
        ):
            return False
    # Exclusion "unknown-sbc": `siteLocation.sbcId` is any int64 to the schema, but a server can
    # only provision an SBC the tenant has (vendor table: "Id of a known SBC"). Which ids exist is
    # state the contract cannot list, so a schema-valid body naming another SBC gets 400 with the
    # field in `errors` (ASP.NET's validation problem). Only ST202 on that operation, only when
    # every error in the answer is that one.
    operation = context.operation
    if (
        operation is not None
        and getattr(operation, "label", "") == "POST /api/v2/customer"
        and "positive_data_acceptance" in getattr(failure, "checks", ())
        and _only_unknown_sbc(response)
    ):
        return False
    return True
