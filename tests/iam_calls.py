"""The AWS calls a flow makes, as the IAM requests AWS authorises, decided against the role of the deployed function
that makes them.

Why: moto authorises everything, and the roles (infra/workloads.py) are built from what each workflow declares it
needs, not from what its code calls: a role narrowed too far passes every test and fails in production with
AccessDenied. Here the calls are recorded through the runtime's one client factory (`AwsClients.recording`), each
attributed to the function that makes it in AWS (`CallLog.running_as`: a job's trigger plans, its worker runs the
chunks, the event source mapping polls the queue with the worker's role), translated into IAM terms in the deployed
stack's naming (`Translator`), and decided by policies/access.py against that function's role policy, the
permission boundary and, for KMS, the key's own policy (`Roles`). An operation without a translation, or a name the
storage declaration does not know, fails loudly: nothing is allowed unexamined.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from infra.mocks import account_of, stack_config
from infra.workloads import deployed_functions
from policies.access import ALLOW, Request, decide, key_request
from shared.adapters.aws import Call
from shared.storage import STORAGE

__all__ = ["CallLog", "Naming", "Roles", "Translator", "UnknownOperation", "UnknownResource", "Verdict", "check",
           "denied"]


class UnknownOperation(KeyError):
    """A call no translation covers: add one, with the AWS documentation that says what it needs, first."""


class UnknownResource(KeyError):
    """A name outside the storage declaration (or another stack's): no deployed role can be asked about it."""


@dataclass(frozen=True)
class Naming:
    """Whose names: physical names are `<prefix>-<logical>` (shared/storage.py) in `account`."""

    prefix: str
    account: str
    region: str = "ap-northeast-1"

    def logical(self, physical: str, kind: str, suffixes: tuple[str, ...] = ()) -> tuple[str, str]:
        """(logical name, suffix) of a physical table, bucket or queue name of this prefix; suffixes such as
        "-osaka" (a bucket's replica) or "-dlq" (a queue's dead letters)."""
        declared = {"table": STORAGE.tables, "bucket": STORAGE.buckets, "queue": STORAGE.queues}[kind]
        for suffix in ("", *suffixes):
            stem = physical.removesuffix(suffix) if suffix else physical
            if suffix and stem == physical:
                continue
            name = stem.removeprefix(f"{self.prefix}-")
            if stem != name and any(spec.name == name for spec in declared):
                return name, suffix
        raise UnknownResource(f"{kind} {physical!r} is not a declared {kind} of prefix {self.prefix!r}")


# --- translation ------------------------------------------------------------------------------------------------

def _value(attribute: Mapping[str, Any]) -> str:
    """The value of a DynamoDB attribute in the low-level form ({"S": "x"})."""
    return str(next(iter(attribute.values())))


@dataclass
class Translator:
    """Calls made under `source`'s names (a test runtime in moto) → requests under `target`'s (a deployed stack).

    `keys` maps each moto key id to its logical key. S3 and SQS use KMS keys on the caller's behalf, with the
    caller's permissions: the key an object was written under is learnt from the calls seen (`observe`), else it
    is the bucket's default, the data key (infra/storage.py), as it is every queue's (infra/queues.py)."""

    source: Naming
    target: Naming
    keys: Mapping[str, str]
    object_keys: dict[tuple[str, str], str] = field(default_factory=dict)

    # --- names
    def table_arn(self, physical: str, region: str, index: str | None = None) -> str:
        logical, _ = self.source.logical(physical, "table")
        arn = f"arn:aws:dynamodb:{region}:{self.target.account}:table/{self.target.prefix}-{logical}"
        return f"{arn}/index/{index}" if index else arn

    def bucket_arn(self, physical: str) -> str:
        logical, suffix = self.source.logical(physical, "bucket", ("-osaka",))
        return f"arn:aws:s3:::{self.target.prefix}-{logical}{suffix}"

    def queue_arn(self, name_or_url: str, region: str) -> str:
        if "/" in name_or_url:
            account, name = name_or_url.rstrip("/").split("/")[-2:]
            if account != self.source.account:
                raise UnknownResource(f"queue {name_or_url!r} is in account {account}, not {self.source.account}")
        else:
            name = name_or_url
        logical, suffix = self.source.logical(name, "queue", ("-dlq",))
        return f"arn:aws:sqs:{region}:{self.target.account}:{self.target.prefix}-{logical}{suffix}"

    def parameter_arn(self, name: str, region: str) -> str:
        logical = name.removeprefix(f"/{self.source.prefix}/")
        if logical == name or logical not in {p.name for p in STORAGE.parameters}:
            raise UnknownResource(f"parameter {name!r} is not a declared parameter of prefix {self.source.prefix!r}")
        return f"arn:aws:ssm:{region}:{self.target.account}:parameter/{self.target.prefix}/{logical}"

    def key_name(self, key: str) -> str:
        """The logical key of a KeyId as KMS takes it: alias name or ARN, key id or key ARN."""
        alias = key.split(":")[-1] if ":alias/" in key else key
        if alias.startswith("alias/"):
            logical = alias.removeprefix(f"alias/{self.source.prefix}-")
            if logical != alias and logical in {k.name for k in STORAGE.keys}:
                return logical
            raise UnknownResource(f"KMS alias {key!r} is not a declared key of prefix {self.source.prefix!r}")
        key_id = key.rsplit("/", 1)[-1]
        if key_id not in self.keys:
            raise UnknownResource(f"KMS key {key!r} is not one of the declared keys")
        return self.keys[key_id]

    def key(self, action: str, key: str, principal: str, region: str,
            context: Mapping[str, Any] | None = None) -> Request:
        """A KMS request as AWS KMS evaluates it (policies/access.py key_request): on the key's ARN, with its alias
        in kms:ResourceAliases whatever form of KeyId the call used. The target key's id is unknown before
        deployment: the logical name stands in for it."""
        logical = self.key_name(key)
        arn = f"arn:aws:kms:{region}:{self.target.account}:key/{logical}-key"
        return key_request(action, arn, principal, [f"alias/{self.target.prefix}-{logical}"],
                           {"aws:RequestedRegion": region, **(context or {})})

    # --- the SSE-KMS key of objects written during the recording
    def observe(self, call: Call) -> None:
        if call.service == "s3" and call.operation in ("PutObject", "CreateMultipartUpload"):
            given = call.params.get("SSEKMSKeyId")
            self.object_keys[(call.params["Bucket"], call.params["Key"])] = given or self._default_key()

    def _default_key(self) -> str:
        return f"alias/{self.source.prefix}-data"

    # --- requests
    def requests(self, call: Call, principal: str) -> list[Request]:
        """Every IAM request AWS authorises for `call` made by `principal`; UnknownOperation if none is known."""
        translate = _TRANSLATIONS.get((call.service, call.operation))
        if translate is None:
            raise UnknownOperation(f"no IAM translation for {call.service}:{call.operation}: add one to "
                                   "tests/iam_calls.py with the AWS documentation of what it needs")
        return translate(self, call, principal)

    def plain(self, action: str, resource: str, principal: str, region: str,
              context: Mapping[str, Any] | None = None) -> Request:
        return Request(action, resource, principal, {"aws:RequestedRegion": region, **(context or {})})


Translate = Callable[[Translator, Call, str], list[Request]]
_TRANSLATIONS: dict[tuple[str, str], Translate] = {}


def _translation(service: str, *operations: str) -> Callable[[Translate], Translate]:
    def register(function: Translate) -> Translate:
        for operation in operations:
            _TRANSLATIONS[(service, operation)] = function
        return function
    return register


# DynamoDB. Each API operation is the IAM action of its name, on the table or, with IndexName, on the index
# (`table/NAME/index/INDEX`: Amazon DynamoDB Developer Guide, "IAM policy to grant access to a specific DynamoDB table
# and its indexes"). Batch operations are authorised per table; a transaction's items each by the action of their
# kind, ConditionCheck by dynamodb:ConditionCheckItem ("Using IAM with DynamoDB transactions"). Condition keys:
# dynamodb:LeadingKeys (the partition key values), dynamodb:Attributes (of an item put) and dynamodb:ReturnValues,
# which the audit log's append-only grant and the sealer's update-only grant test (infra/audit_log.py). An update's
# dynamodb:Attributes are the top-level attributes it accesses: those its update and condition expressions name
# (through ExpressionAttributeNames or literally) and its item's key attributes, which the guide requires a policy
# to list ("Using IAM policy conditions for fine-grained access control").

_EXPRESSION_NAME = re.compile(r"(?<![\w.:#\]])(#?[A-Za-z_]\w*)\b(?!\s*\()")  # not a value, a function or a nested path
_EXPRESSION_WORDS = frozenset({"set", "remove", "add", "delete", "and", "or", "not", "between", "in"})


def updated_attributes(params: Mapping[str, Any]) -> list[str]:
    """The top-level attribute names an UpdateItem (or a transaction's Update) accesses."""
    names = params.get("ExpressionAttributeNames") or {}
    found = set(params["Key"]) | set(params.get("AttributeUpdates") or {}) | set(params.get("Expected") or {})
    for expression in (params.get("UpdateExpression"), params.get("ConditionExpression")):
        for token in _EXPRESSION_NAME.findall(expression or ""):
            if token.startswith("#"):
                found.add(names[token])
            elif token.lower() not in _EXPRESSION_WORDS:
                found.add(token)
    return sorted(found)


def _item_context(translator: Translator, physical: str, items: list[Mapping[str, Any]], put: bool,
                  params: Mapping[str, Any], update: bool = False) -> dict[str, Any]:
    logical, _ = translator.source.logical(physical, "table")
    key = STORAGE.table(logical).partition_key[0]
    context: dict[str, Any] = {"dynamodb:LeadingKeys": sorted({_value(i[key]) for i in items if key in i})}
    if put:
        context["dynamodb:Attributes"] = sorted({name for item in items for name in item})
    if update:
        context["dynamodb:Attributes"] = updated_attributes(params)
    if params.get("ReturnValues"):
        context["dynamodb:ReturnValues"] = params["ReturnValues"]
    return context


@_translation("dynamodb", "GetItem", "PutItem", "UpdateItem", "DeleteItem")
def _dynamodb_item(t: Translator, call: Call, principal: str) -> list[Request]:
    p = call.params
    item = p["Item"] if call.operation == "PutItem" else p["Key"]
    context = _item_context(t, p["TableName"], [item], call.operation == "PutItem", p, call.operation == "UpdateItem")
    return [t.plain(f"dynamodb:{call.operation}", t.table_arn(p["TableName"], call.region), principal, call.region,
                    context)]


@_translation("dynamodb", "Query", "Scan", "DescribeTable")
def _dynamodb_table(t: Translator, call: Call, principal: str) -> list[Request]:
    p = call.params
    return [t.plain(f"dynamodb:{call.operation}", t.table_arn(p["TableName"], call.region, p.get("IndexName")),
                    principal, call.region)]


@_translation("dynamodb", "BatchGetItem", "BatchWriteItem")
def _dynamodb_batch(t: Translator, call: Call, principal: str) -> list[Request]:
    out = []
    for table, entry in call.params["RequestItems"].items():
        if call.operation == "BatchGetItem":
            items, put = list(entry["Keys"]), False
        else:
            puts = [r["PutRequest"]["Item"] for r in entry if "PutRequest" in r]
            items, put = puts + [r["DeleteRequest"]["Key"] for r in entry if "DeleteRequest" in r], bool(puts)
        out.append(t.plain(f"dynamodb:{call.operation}", t.table_arn(table, call.region), principal, call.region,
                           _item_context(t, table, items, put, {})))
    return out


_TRANSACT_ACTIONS = {"Put": "dynamodb:PutItem", "Update": "dynamodb:UpdateItem", "Delete": "dynamodb:DeleteItem",
                     "ConditionCheck": "dynamodb:ConditionCheckItem", "Get": "dynamodb:GetItem"}


@_translation("dynamodb", "TransactWriteItems", "TransactGetItems")
def _dynamodb_transaction(t: Translator, call: Call, principal: str) -> list[Request]:
    out = []
    for entry in call.params["TransactItems"]:
        (kind, item), = entry.items()
        body = item.get("Item") if kind == "Put" else item["Key"]
        out.append(t.plain(_TRANSACT_ACTIONS[kind], t.table_arn(item["TableName"], call.region), principal,
                           call.region, _item_context(t, item["TableName"], [body], kind == "Put", item,
                                                      kind == "Update")))
    return out


# Amazon S3 ("Required permissions for Amazon S3 API operations", Amazon S3 User Guide; Service Authorization
# Reference, "Actions, resources, and condition keys for Amazon S3"): ListObjectsV2 is s3:ListBucket on the bucket,
# its Prefix in s3:prefix; ListObjectVersions is s3:ListBucketVersions; HeadObject needs s3:GetObject; with a
# VersionId, GetObject and HeadObject need s3:GetObjectVersion and DeleteObject s3:DeleteObjectVersion;
# GetObjectLockConfiguration is s3:GetBucketObjectLockConfiguration; a PutObject that sets Object Lock retention or a
# legal hold also needs s3:PutObjectRetention or s3:PutObjectLegalHold. Objects under SSE-KMS are encrypted and
# decrypted with the caller's permissions: writing needs kms:GenerateDataKey, reading kms:Decrypt, on the object's
# key ("Using server-side encryption with AWS KMS keys (SSE-KMS)"; multipart uploads need both).

def _s3_kms(t: Translator, action: str, bucket: str, key: str, principal: str, region: str) -> Request:
    used = t.object_keys.get((bucket, key), t._default_key())
    return t.key(action, used, principal, region, {"kms:ViaService": f"s3.{region}.amazonaws.com"})


def _object_arn(t: Translator, call: Call) -> str:
    return f"{t.bucket_arn(call.params['Bucket'])}/{call.params['Key']}"


@_translation("s3", "GetObject", "HeadObject")
def _s3_read(t: Translator, call: Call, principal: str) -> list[Request]:
    p = call.params
    action = "s3:GetObjectVersion" if p.get("VersionId") else "s3:GetObject"
    out = [t.plain(action, _object_arn(t, call), principal, call.region)]
    if call.operation == "GetObject":  # HEAD returns no body: nothing to decrypt
        out.append(_s3_kms(t, "kms:Decrypt", p["Bucket"], p["Key"], principal, call.region))
    return out


@_translation("s3", "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")
def _s3_write(t: Translator, call: Call, principal: str) -> list[Request]:
    p = call.params
    out = [t.plain("s3:PutObject", _object_arn(t, call), principal, call.region)]
    if p.get("ObjectLockMode") or p.get("ObjectLockRetainUntilDate"):
        out.append(t.plain("s3:PutObjectRetention", _object_arn(t, call), principal, call.region))
    if p.get("ObjectLockLegalHoldStatus"):
        out.append(t.plain("s3:PutObjectLegalHold", _object_arn(t, call), principal, call.region))
    if call.operation in ("PutObject", "CreateMultipartUpload"):
        out.append(_s3_kms(t, "kms:GenerateDataKey", p["Bucket"], p["Key"], principal, call.region))
    if call.operation in ("CreateMultipartUpload", "UploadPart"):
        out.append(_s3_kms(t, "kms:Decrypt", p["Bucket"], p["Key"], principal, call.region))
    return out


@_translation("s3", "AbortMultipartUpload")
def _s3_abort(t: Translator, call: Call, principal: str) -> list[Request]:
    return [t.plain("s3:AbortMultipartUpload", _object_arn(t, call), principal, call.region)]


@_translation("s3", "DeleteObject")
def _s3_delete(t: Translator, call: Call, principal: str) -> list[Request]:
    action = "s3:DeleteObjectVersion" if call.params.get("VersionId") else "s3:DeleteObject"
    return [t.plain(action, _object_arn(t, call), principal, call.region)]


@_translation("s3", "GetObjectRetention", "GetObjectLegalHold")
def _s3_lock_of(t: Translator, call: Call, principal: str) -> list[Request]:
    return [t.plain(f"s3:{call.operation}", _object_arn(t, call), principal, call.region)]


@_translation("s3", "ListObjectsV2", "ListObjectVersions")
def _s3_list(t: Translator, call: Call, principal: str) -> list[Request]:
    action = "s3:ListBucket" if call.operation == "ListObjectsV2" else "s3:ListBucketVersions"
    prefix = call.params.get("Prefix")
    return [t.plain(action, t.bucket_arn(call.params["Bucket"]), principal, call.region,
                    {"s3:prefix": prefix} if prefix is not None else {})]


@_translation("s3", "GetObjectLockConfiguration")
def _s3_lock_configuration(t: Translator, call: Call, principal: str) -> list[Request]:
    return [t.plain("s3:GetBucketObjectLockConfiguration", t.bucket_arn(call.params["Bucket"]), principal,
                    call.region)]


# Amazon SQS: a queue is named by its URL (or, for GetQueueUrl, its name); the batch actions are authorised as
# their single forms ("Amazon SQS batch actions", Amazon SQS Developer Guide). The queues are encrypted with the
# data key: a producer needs kms:GenerateDataKey and kms:Decrypt, a consumer kms:Decrypt ("Configuring AWS KMS
# permissions", in "Amazon SQS key management").
_SQS_ACTIONS = {"SendMessage": "sqs:SendMessage", "SendMessageBatch": "sqs:SendMessage",
                "ReceiveMessage": "sqs:ReceiveMessage", "DeleteMessage": "sqs:DeleteMessage",
                "DeleteMessageBatch": "sqs:DeleteMessage", "ChangeMessageVisibility": "sqs:ChangeMessageVisibility",
                "ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
                "GetQueueAttributes": "sqs:GetQueueAttributes", "GetQueueUrl": "sqs:GetQueueUrl"}
_SQS_KEY_USE = {"sqs:SendMessage": ("kms:GenerateDataKey", "kms:Decrypt"), "sqs:ReceiveMessage": ("kms:Decrypt",)}


@_translation("sqs", *_SQS_ACTIONS)
def _sqs(t: Translator, call: Call, principal: str) -> list[Request]:
    action = _SQS_ACTIONS[call.operation]
    queue = call.params.get("QueueUrl") or call.params["QueueName"]
    out = [t.plain(action, t.queue_arn(queue, call.region), principal, call.region)]
    via = {"kms:ViaService": f"sqs.{call.region}.amazonaws.com"}
    out += [t.key(k, t._default_key(), principal, call.region, via) for k in _SQS_KEY_USE.get(action, ())]
    return out


# AWS KMS: the operation's action on the key, whichever form of KeyId names it (policies/access.py key_request).
@_translation("kms", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey",
              "ReEncrypt")
def _kms(t: Translator, call: Call, principal: str) -> list[Request]:
    key = call.params.get("KeyId") or call.params.get("DestinationKeyId")
    if not key:  # a symmetric Decrypt may omit it; then only the ciphertext knows the key
        raise UnknownResource(f"kms:{call.operation} without KeyId: name the key so that its use can be checked")
    return [t.key(f"kms:{call.operation}", key, principal, call.region)]


# SSM Parameter Store: a parameter's ARN is `parameter` followed by its hierarchical name.
@_translation("ssm", "GetParameter", "PutParameter")
def _ssm(t: Translator, call: Call, principal: str) -> list[Request]:
    return [t.plain(f"ssm:{call.operation}", t.parameter_arn(call.params["Name"], call.region), principal,
                    call.region)]


# --- the deployed side ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Roles:
    """What the deployed stack grants: each function's role policy (by label), the permission boundary every role
    has, and each key's own policy (a KMS request is allowed only if the key's policy allows it too)."""

    naming: Naming
    policies: Mapping[str, dict[str, Any]]
    boundary: dict[str, Any]
    key_policies: Mapping[str, dict[str, Any]]

    @classmethod
    def of(cls, stack: Any) -> Roles:
        """From a `Declared` stack run under mocks (tests/infra/conftest.py)."""
        settings = stack.stack.settings
        naming = Naming(settings.name_prefix, account_of(stack_config(settings.stack)), settings.region)
        policies = {d.label: stack.policy(stack.one("iam/rolePolicy:RolePolicy", f"workloads-{d.label}"))
                    for d in deployed_functions()}
        boundary = stack.policy(stack.one("iam/policy:Policy", "workloads-region-boundary"))
        keys = {k.name: stack.policy(stack.one("kms/key:Key", f"keys-{k.name}")) for k in STORAGE.keys}
        return cls(naming, policies, boundary, keys)

    def principal(self, label: str) -> str:
        return f"arn:aws:iam::{self.naming.account}:role/{self.naming.prefix}-{label}"

    def decide(self, label: str, request: Request) -> str:
        """ALLOW, or why not: the role policy's answer, the boundary's, or the key policy's."""
        identity = decide([self.policies[label]], request, resource_policy=False)
        if identity != ALLOW:
            return f"role policy: {identity}"
        if decide([self.boundary], request, resource_policy=False) != ALLOW:
            return "permission boundary: deny"
        aliases = request.context.get("kms:ResourceAliases") or []
        for alias in aliases if request.action.startswith("kms:") else []:
            logical = str(alias).removeprefix(f"alias/{self.naming.prefix}-")
            answer = decide([self.key_policies[logical]], request)
            if answer != ALLOW:
                return f"key policy of {logical}: {answer}"
        return ALLOW

    def without(self, label: str, action: str | None = None, sid: str | None = None,
                resource: str | None = None) -> Roles:
        """The same stack with one grant taken from `label`'s role: `action` out of every statement, the
        statement `sid`, or `resource` (an ARN as the policy writes it) out of every statement (negative twins)."""
        document = copy.deepcopy(self.policies[label])
        kept = []
        for statement in document["Statement"]:
            if sid is not None and statement.get("Sid") == sid:
                continue
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if action is not None:
                actions = [a for a in actions if a.lower() != action.lower()]
            narrowed = {**statement, "Action": actions}
            if resource is not None:
                listed = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                narrowed["Resource"] = [r for r in listed if r != resource]
                if narrowed["Resource"] == listed:
                    narrowed["Resource"] = statement["Resource"]
            if actions and narrowed["Resource"]:
                kept.append(narrowed)
        if kept == document["Statement"]:
            raise ValueError(f"{label}'s role has no grant {action or sid or resource} to take away")
        return self.with_policy(label, {**document, "Statement": kept})

    def with_policy(self, label: str, document: dict[str, Any]) -> Roles:
        """The same stack with `label`'s role policy replaced (negative twins)."""
        return Roles(self.naming, {**self.policies, label: document}, self.boundary, self.key_policies)


# --- recording and checking -------------------------------------------------------------------------------------

@dataclass
class _Span:
    label: str
    start: int
    end: int | None
    services: frozenset[str] | None


class CallLog:
    """The calls of a test in order (from `AwsClients.recording`), each attributed to the deployed function that
    makes it in AWS, or to none: the test's own setup and the bookkeeping of the in-process stand-in for the event
    source mapping (shared/batch/local.py) are no function's."""

    def __init__(self, calls: list[Call]) -> None:
        self.calls = calls
        self._spans: list[_Span] = []

    @contextmanager
    def running_as(self, label: str, services: set[str] | None = None) -> Iterator[None]:
        """Calls made in the block are `label`'s (only those of `services`, if given); an inner block wins."""
        span = _Span(label, len(self.calls), None, frozenset(services) if services else None)
        self._spans.append(span)
        try:
            yield
        finally:
            span.end = len(self.calls)

    def wrap(self, label: str, handler: Callable[..., Any]) -> Callable[..., Any]:
        """`handler` (a Lambda entry point) running as `label`."""
        def run(*args: Any, **kwargs: Any) -> Any:
            with self.running_as(label):
                return handler(*args, **kwargs)
        return run

    def attributed(self) -> Iterator[tuple[str | None, Call]]:
        for index, call in enumerate(self.calls):
            owners = [s for s in self._spans if s.start <= index < (len(self.calls) if s.end is None else s.end)
                      and (s.services is None or call.service in s.services)]
            yield (max(owners, key=lambda s: s.start).label if owners else None), call

    def labels(self) -> set[str]:
        return {label for label, _ in self.attributed() if label is not None}


class Verdict(NamedTuple):
    label: str
    call: Call
    request: Request
    decision: str

    def __str__(self) -> str:
        return (f"{self.label}: {self.request.action} on {self.request.resource} "
                f"({self.call.service} {self.call.operation}) -> {self.decision}")


def check(log: CallLog, roles: Roles, translator: Translator) -> list[Verdict]:
    """Every attributed call's requests, decided for the role of the function that made it."""
    verdicts = []
    for label, call in log.attributed():
        translator.observe(call)
        if label is not None:
            verdicts += [Verdict(label, call, request, roles.decide(label, request))
                         for request in translator.requests(call, roles.principal(label))]
    return verdicts


def denied(verdicts: list[Verdict]) -> list[str]:
    return sorted({str(v) for v in verdicts if v.decision != ALLOW})
