"""The request evaluator the key, bucket and table tests rely on, checked against IAM's documented rules."""

from __future__ import annotations

from policies.access import ALLOW, DENY, IMPLICIT, Request, decide

ROLE = "arn:aws:iam::111122223333:role/app"
OTHER = "arn:aws:iam::999999999999:role/x"


def doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_an_explicit_deny_wins_and_nothing_is_allowed_by_default() -> None:
    allow = {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "s3:GetObject", "Resource": "*"}
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    request = Request("s3:GetObject", "arn:aws:s3:::b/k", ROLE)
    assert decide([doc(allow)], request) == ALLOW
    assert decide([doc(allow, deny)], request) == DENY
    assert decide([doc()], request) == IMPLICIT


def test_a_missing_key_fails_positive_operators_and_satisfies_negated_ones() -> None:
    """IAM User Guide, condition operators: 'If the key ... is not present ... the condition is false. If the
    policy condition requires that the key is not matched, such as StringNotLike ..., the condition is true.'"""
    deny_outside = {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}}
    allow_inside = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}
    internet = Request("s3:GetObject", "*", ROLE)
    assert decide([doc(deny_outside)], internet) == DENY
    assert decide([doc(allow_inside)], internet) == IMPLICIT
    through = Request("s3:GetObject", "*", ROLE, {"aws:SourceVpce": "vpce-1"})
    assert decide([doc(deny_outside, allow_inside)], through) == ALLOW


def test_several_values_are_or_for_positive_and_and_for_negated_operators() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}}}
    assert decide([doc(deny)], Request("s3:GetObject", "*", ROLE, {"aws:SourceVpce": "vpce-2"})) == IMPLICIT
    assert decide([doc(deny)], Request("s3:GetObject", "*", ROLE, {"aws:SourceVpce": "vpce-3"})) == DENY


def test_if_exists_null_bool_and_set_operators() -> None:
    allow = {"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*",
             "Condition": {"StringEqualsIfExists": {"kms:ViaService": "s3.ap-northeast-1.amazonaws.com"},
                           "Null": {"aws:PrincipalArn": "false"}, "Bool": {"aws:SecureTransport": "true"},
                           "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/a"]}}}
    good = Request("kms:Decrypt", "*", ROLE, {"aws:SecureTransport": True, "kms:ResourceAliases": ["alias/b",
                                                                                                  "alias/a"]})
    assert decide([doc(allow)], good) == ALLOW
    assert decide([doc(allow)], Request("kms:Decrypt", "*", ROLE, {"aws:SecureTransport": False,
                                                                   "kms:ResourceAliases": ["alias/a"]})) == IMPLICIT
    assert decide([doc(allow)], Request("kms:Decrypt", "*", ROLE, {"aws:SecureTransport": True})) == IMPLICIT


def test_not_action_grants_everything_it_does_not_name() -> None:
    allow = {"Effect": "Allow", "Principal": {"AWS": ROLE}, "NotAction": "iam:*", "Resource": "*"}
    assert decide([doc(allow)], Request("dynamodb:Scan", "*", ROLE)) == ALLOW
    assert decide([doc(allow)], Request("iam:PassRole", "*", ROLE)) == IMPLICIT


def test_the_account_root_delegates_to_every_principal_of_the_account_only() -> None:
    allow = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
             "Resource": "*"}
    assert decide([doc(allow)], Request("kms:Decrypt", "*", ROLE)) == ALLOW
    assert decide([doc(allow)], Request("kms:Decrypt", "*", ROLE), delegation_grants=False) == IMPLICIT
    assert decide([doc(allow)], Request("kms:Decrypt", "*", OTHER)) == IMPLICIT


def test_service_principals_and_wildcards() -> None:
    allow = {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey*",
             "Resource": "*"}
    assert decide([doc(allow)], Request("kms:GenerateDataKeyWithoutPlaintext", "*",
                                        "cloudtrail.amazonaws.com")) == ALLOW
    assert decide([doc(allow)], Request("kms:GenerateDataKey", "*", "logs.amazonaws.com")) == IMPLICIT
    assert decide([doc(allow)], Request("kms:GenerateDataKey", "*", ROLE)) == IMPLICIT
