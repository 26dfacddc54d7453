"""Stack configuration that keeps a deployment inside the intended account and says what the organisation
provides, validated before any resource is declared (PIA-II-6-a, PIA-III-7-d)."""

from __future__ import annotations

import json

import pytest

from infra.settings import CAPABILITIES, StackConfigError
from tests.infra.conftest import Declared, run_with


def test_a_stack_without_allowed_accounts_is_refused() -> None:
    with pytest.raises(StackConfigError, match="allowedAccountIds"):
        run_with("dev", **{"aws:allowedAccountIds": None})
    with pytest.raises(StackConfigError, match="12-digit"):
        run_with("dev", **{"aws:allowedAccountIds": ["dev-account"]})


def test_the_osaka_provider_carries_the_stacks_account_guard_and_credentials() -> None:
    """Without them it would deploy the replicas with the environment's credentials, possibly elsewhere."""
    stack = run_with("prod", **{"aws:profile": "choju-prod", "aws:assumeRoles": [
        {"roleArn": "arn:aws:iam::111122223333:role/choju-prod-deployer", "sessionName": "pulumi"}]})
    osaka = stack.one("providers:aws").inputs
    assert osaka["region"] == "ap-northeast-3" and osaka["profile"] == "choju-prod"
    # the engine carries a provider's structured settings as JSON strings
    assert json.loads(osaka["allowedAccountIds"]) == ["111122223333"]
    assert json.loads(osaka["assumeRoles"])[0]["roleArn"] == "arn:aws:iam::111122223333:role/choju-prod-deployer"


def test_the_provider_check_catches_an_osaka_provider_without_the_guard(prod: Declared) -> None:
    """Negative twin of the test above: the provider as it was (region only)."""
    from infra.mocks import Recorded

    osaka = prod.one("providers:aws")
    bare = Recorded(osaka.type, osaka.name, {"region": "ap-northeast-3"}, None, osaka.urn)
    assert "allowedAccountIds" not in bare.inputs and "allowedAccountIds" in osaka.inputs


def test_unknown_capabilities_are_refused() -> None:
    with pytest.raises(StackConfigError, match="unknown"):
        run_with("dev", **{"choju:organisationProvides": ["cloudtrail", "cis-alarms", "antivirus"]})


def test_an_organisation_trail_needs_organisation_cis_alarms() -> None:
    with pytest.raises(StackConfigError, match="cis-alarms"):
        run_with("dev", **{"choju:organisationProvides": ["cloudtrail"]})


def test_the_switches_of_earlier_versions_still_declare_the_organisation() -> None:
    stack = run_with("dev", **{"choju:createGuardDuty": False})
    assert "guardduty" in stack.stack.settings.organisation_provides


def test_every_capability_is_created_or_declared(dev: Declared, prod: Declared) -> None:
    assert dev.stack.settings.organisation_provides == frozenset()
    assert prod.stack.settings.organisation_provides == {"cloudtrail", "cis-alarms", "guardduty", "config",
                                                         "securityhub"}
    assert set(CAPABILITIES) >= prod.stack.settings.organisation_provides


@pytest.mark.parametrize("detectors, message", [
    ({"us-east-1": "0" * 32}, "not a region"),
    ({"ap-northeast-1": "abc"}, "32 hexadecimal"),
])
def test_adopted_detectors_are_named_properly(detectors: dict, message: str) -> None:
    with pytest.raises(StackConfigError, match=message):
        run_with("dev", **{"choju:guardDutyDetectorIds": detectors})


def test_an_unknown_stage_is_refused() -> None:
    with pytest.raises(StackConfigError, match="choju:stage"):
        run_with("dev", **{"choju:stage": "partial"})


def test_the_foundation_stage_creates_keys_and_network_only() -> None:
    """The first `pulumi up` of a new stack (docs/operators.md): what the policy pack accepts as the foundation
    (policies/pre_checks.py FOUNDATION_TYPES), and nothing that holds data or runs code."""
    from policies.pre_checks import FOUNDATION_TYPES

    declared = run_with("dev", **{"choju:stage": "foundation"})
    types = {r.type for r in declared.resources}
    assert types <= FOUNDATION_TYPES and "choju:stage:Foundation" in types
    assert {"aws:kms/key:Key", "aws:ec2/vpcEndpoint:VpcEndpoint"} <= types
