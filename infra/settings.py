"""Stack configuration, validated before any resource is declared (PIA-II-6-a: Japan only)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

import pulumi

from shared.domain.networks import is_closed_network
from shared.domain.regions import PRIMARY_REGION, SECONDARY_REGION


class StackConfigError(ValueError):
    pass


# What PIA-III-7-d's continuous monitoring needs in the account. Each is created by the stack unless the stack
# declares the organisation provides it (`choju:organisationProvides`); the compliance report and the stack
# output `provisions` say which (Government Cloud's organisation often owns trail, detector, Config, Security Hub).
CAPABILITIES: dict[str, str] = {
    "cloudtrail": "a multi-region trail with S3, DynamoDB and Lambda data events, delivered to CloudWatch Logs",
    "cis-alarms": "CIS metric alarms on the trail's log group (root use, IAM changes, break-glass use, ...)",
    "guardduty": "GuardDuty detectors in Tokyo and Osaka with S3, Lambda, runtime and malware protection",
    "malware-protection": "GuardDuty Malware Protection for S3 on the buckets that receive files",
    "config": "an AWS Config recorder with the managed rules the controls map to",
    "securityhub": "Security Hub with the AWS Foundational Security Best Practices standard",
    "access-analyzer": "IAM Access Analyzer for external access, in Tokyo and Osaka",
    "macie": "Amazon Macie for the buckets holding personal data",
    "s3-account-public-access-block": "the account-level S3 public access block",
    "ebs-default-encryption": "EBS encryption by default in Tokyo and Osaka",
    "dns-query-logs": "Route 53 Resolver query logs of the VPC",
    "dns-firewall": "a Route 53 Resolver DNS Firewall that answers only AWS service names (no DNS exfiltration)",
}


@dataclass(frozen=True)
class CityNetwork:
    kind: str  # "none" | "transit-gateway" | "vpn-gateway"
    transit_gateway_id: str | None = None
    cidrs: tuple[str, ...] = ()
    resolver: bool = False  # a Route 53 Resolver inbound endpoint for the city's DNS servers


STAGES = ("foundation", "full")


@dataclass(frozen=True)
class StackSettings:
    stack: str
    region: str
    replica_region: str
    name_prefix: str
    vpc_cidr: str
    availability_zones: tuple[str, ...]
    log_retention_days: int
    audit_lock_days: int
    alarm_email: str | None
    create_cloudtrail: bool
    create_guardduty: bool
    reserved_concurrency: int
    lambda_memory_mb: int
    lambda_architecture: str
    api_throttle_rate: float
    api_throttle_burst: int
    jwks_url: str
    token_issuer: str
    token_audience: str
    break_glass_role_arn: str | None
    key_admin_role_arn: str | None = None  # the My Number key's administrator; default: the deploying role
    break_glass_trusted_principals: tuple[str, ...] = ()  # role ARN patterns that may assume the break-glass role
    city_network: CityNetwork = field(default_factory=lambda: CityNetwork("none"))
    tags: dict[str, str] = field(default_factory=dict)
    organisation_provides: frozenset[str] = frozenset()
    guardduty_detectors: dict[str, str] = field(default_factory=dict)  # region -> existing detector to adopt
    dns_allowed_domains: tuple[str, ...] = ()  # beyond AWS service names, e.g. the city's own zones
    backup_vault_lock: str = "governance"  # "governance" | "compliance" (cannot be undone after its grace period)
    function_concurrency: dict[str, int] = field(default_factory=dict)  # function label -> reserved concurrency
    lambda_concurrency_quota: int | None = None  # the account's concurrent-executions quota, when known
    aws_provider: dict[str, Any] = field(default_factory=dict)  # the stack's aws: settings for explicit providers
    # "foundation": the first of two `pulumi up`s of a new stack (keys and network only), so that every document
    # naming an endpoint id is known when the second preview checks it (docs/operators.md); "full": everything.
    stage: str = "full"

    def creates(self, capability: str) -> bool:
        """Whether the stack creates `capability` (else the organisation provides it)."""
        if capability not in CAPABILITIES:
            raise KeyError(capability)
        return capability not in self.organisation_provides


def _bool(config: pulumi.Config, key: str, default: bool) -> bool:
    value = config.get_bool(key)
    return default if value is None else value


def _organisation_provides(config: pulumi.Config) -> frozenset[str]:
    declared = set(config.get_object("organisationProvides") or ())
    unknown = declared - set(CAPABILITIES)
    if unknown:
        raise StackConfigError(f"choju:organisationProvides: {', '.join(sorted(unknown))} unknown; the capabilities "
                               f"are {', '.join(CAPABILITIES)}")
    # The two switches of earlier versions still work.
    if _bool(config, "createCloudTrail", True) is False:
        declared.add("cloudtrail")
    if _bool(config, "createGuardDuty", True) is False:
        declared.add("guardduty")
    if "cloudtrail" in declared and "cis-alarms" not in declared:
        raise StackConfigError("the organisation provides the trail, so this account has no trail log group to raise "
                               "CIS alarms on: declare 'cis-alarms' in choju:organisationProvides too (the "
                               "organisation's log account or Security Hub raises them), or let the stack create "
                               "the trail")
    return frozenset(declared)


def _detectors(config: pulumi.Config) -> dict[str, str]:
    detectors = {str(k): str(v) for k, v in (config.get_object("guardDutyDetectorIds") or {}).items()}
    bad = [r for r in detectors if r not in (PRIMARY_REGION, SECONDARY_REGION)]
    if bad:
        raise StackConfigError(f"choju:guardDutyDetectorIds: {', '.join(bad)} is not a region of this stack")
    if any(not re.fullmatch(r"[0-9a-f]{32}", d) for d in detectors.values()):
        raise StackConfigError("choju:guardDutyDetectorIds: a detector id is 32 hexadecimal characters "
                               "(aws guardduty list-detectors)")
    return detectors


def _vault_lock(config: pulumi.Config) -> str:
    mode = config.get("backupVaultLock") or "governance"
    if mode not in ("governance", "compliance"):
        raise StackConfigError("choju:backupVaultLock is governance or compliance")
    return mode


# The stack's aws: settings that explicit providers (Osaka) must carry too, or they would fall back to the
# environment's credentials and account (pulumi-aws provider configuration).
PROVIDER_KEYS = ("profile", "sharedConfigFiles", "sharedCredentialsFiles", "assumeRoles", "allowedAccountIds",
                 "forbiddenAccountIds", "defaultTags", "ignoreTags", "skipMetadataApiCheck", "stsRegion", "retryMode",
                 "maxRetries", "endpoints")


def _aws_provider(aws: pulumi.Config) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in PROVIDER_KEYS:
        value = aws.get_object(key) if key not in ("profile", "stsRegion", "retryMode", "skipMetadataApiCheck") \
            else aws.get(key)
        if value is not None:
            out[key] = value
    allowed = out.get("allowedAccountIds")
    if not allowed:
        raise StackConfigError("aws:allowedAccountIds is not set: pin the stack to its workload account, so a "
                               "deployment with the wrong credentials stops before it creates anything "
                               "(pulumi config set --path 'aws:allowedAccountIds[0]' <account id>)")
    if any(not re.fullmatch(r"\d{12}", str(a)) for a in allowed):
        raise StackConfigError("aws:allowedAccountIds lists 12-digit account ids")
    return out


def _city_cidr(cidr: str, vpc_cidr: str) -> None:
    """A city network is private address space (RFC 1918 or RFC 6598) outside the VPC: anything else would
    route or admit the internet (0.0.0.0/1 and 128.0.0.0/1 are a default route in two halves)."""
    try:
        network = ipaddress.ip_network(cidr)
    except ValueError:
        raise StackConfigError(f"choju:cityNetwork.cidrs: {cidr!r} is not a network address") from None
    if network.version != 4 or not is_closed_network(cidr):
        raise StackConfigError(f"choju:cityNetwork.cidrs: {cidr} is not a private network of the city "
                               "(RFC 1918 or RFC 6598)")
    if network.overlaps(ipaddress.ip_network(vpc_cidr)):
        raise StackConfigError(f"choju:cityNetwork.cidrs: {cidr} overlaps the VPC ({vpc_cidr})")


def _trusted_principals(config: pulumi.Config) -> tuple[str, ...]:
    values = tuple(config.get_object("breakGlassTrustedPrincipals") or ())
    for value in values:
        if not re.fullmatch(r"arn:aws:iam::\d{12}:role/[\w+=,.@/*-]+", str(value)) or str(value).endswith(":role/*"):
            raise StackConfigError(f"choju:breakGlassTrustedPrincipals: {value!r} must name roles of the account "
                                   "(a pattern such as .../AWSReservedSSO_ChojuBreakGlass_*), never every role")
    return values


def _role_arn(config: pulumi.Config, key: str) -> str | None:
    value = config.get(key)
    if value is not None and not re.fullmatch(r"arn:aws:iam::\d{12}:role/[\w+=,.@/-]+", value):
        raise StackConfigError(f"choju:{key} is {value!r}; it names an IAM role: arn:aws:iam::<account>:role/<name>")
    return value


def load(stack: str | None = None) -> StackSettings:
    aws = pulumi.Config("aws")
    config = pulumi.Config("choju")
    region = aws.get("region")
    if region != PRIMARY_REGION:
        raise StackConfigError(
            f"aws:region is {region!r}; choju deploys only to {PRIMARY_REGION} (Tokyo), with replicas in "
            f"{SECONDARY_REGION} (Osaka): data stays in Japan (PIA-II-6-a). Run: pulumi config set aws:region "
            f"{PRIMARY_REGION}")
    replica = config.get("replicaRegion") or SECONDARY_REGION
    if replica != SECONDARY_REGION:
        raise StackConfigError(f"choju:replicaRegion is {replica!r}; the only replica region is {SECONDARY_REGION}")
    stack = stack or pulumi.get_stack()
    zones = tuple(config.get_object("availabilityZones") or ("ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"))
    if len(zones) != 3 or any(not z.startswith(PRIMARY_REGION) for z in zones):
        raise StackConfigError("choju:availabilityZones lists three zones of ap-northeast-1")
    city: Any = config.get_object("cityNetwork") or {"kind": "none"}
    if city.get("kind") not in ("none", "transit-gateway", "vpn-gateway"):
        raise StackConfigError("choju:cityNetwork.kind is none, transit-gateway or vpn-gateway")
    if any(c in ("0.0.0.0/0", "::/0") for c in city.get("cidrs", [])):
        raise StackConfigError("choju:cityNetwork.cidrs must name the city's networks, never a default route")
    vpc_cidr = config.get("vpcCidr") or "10.20.0.0/16"
    for cidr in city.get("cidrs", []):
        _city_cidr(cidr, vpc_cidr)
    if city.get("kind", "none") == "none" and (city.get("cidrs") or city.get("resolverInbound")):
        raise StackConfigError("choju:cityNetwork.cidrs and resolverInbound need a link (kind transit-gateway or "
                               "vpn-gateway): without one no terminal can reach the API")
    provided = _organisation_provides(config)
    stage = config.get("stage") or "full"
    if stage not in STAGES:
        raise StackConfigError(f"choju:stage is {stage!r}; it is foundation (the first `pulumi up` of a new stack: "
                               "keys and network) or full (the default)")
    architecture = config.get("lambdaArchitecture") or "x86_64"
    if architecture not in ("x86_64", "arm64"):
        raise StackConfigError("choju:lambdaArchitecture is x86_64 or arm64")
    return StackSettings(
        stack=stack,
        region=region,
        replica_region=replica,
        name_prefix=config.get("namePrefix") or f"choju-{stack}",
        vpc_cidr=vpc_cidr,
        availability_zones=zones,
        log_retention_days=config.get_int("logRetentionDays") or 400,
        audit_lock_days=config.get_int("auditLockDays") or 7 * 365,
        alarm_email=config.get("alarmEmail"),
        create_cloudtrail="cloudtrail" not in provided,
        create_guardduty="guardduty" not in provided,
        reserved_concurrency=config.get_int("reservedConcurrency") or 10,
        lambda_memory_mb=config.get_int("lambdaMemoryMb") or 1024,
        lambda_architecture=architecture,
        api_throttle_rate=float(config.get("apiThrottleRate") or 50),
        api_throttle_burst=config.get_int("apiThrottleBurst") or 100,
        jwks_url=config.require("jwksUrl"),
        token_issuer=config.require("tokenIssuer"),
        token_audience=config.get("tokenAudience") or "choju-counter-api",
        break_glass_role_arn=config.get("breakGlassRoleArn"),
        key_admin_role_arn=_role_arn(config, "keyAdminRoleArn"),
        break_glass_trusted_principals=_trusted_principals(config),
        city_network=CityNetwork(city.get("kind", "none"), city.get("transitGatewayId"), tuple(city.get("cidrs", [])),
                                 bool(city.get("resolverInbound", False))),
        tags={"project": "choju", "stack": stack, **(config.get_object("tags") or {})},
        organisation_provides=provided,
        guardduty_detectors=_detectors(config),
        dns_allowed_domains=tuple(config.get_object("dnsAllowedDomains") or ()),
        backup_vault_lock=_vault_lock(config),
        function_concurrency={str(k): int(v) for k, v in (config.get_object("functionConcurrency") or {}).items()},
        lambda_concurrency_quota=config.get_int("lambdaConcurrencyQuota"),
        aws_provider=_aws_provider(aws),
        stage=stage,
    )
