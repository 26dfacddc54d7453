"""My Numbers at rest: field-level encryption under their own key, cached data keys, a keyed blind index."""

import json

import pytest

from shared.adapters.kms_calls import counting_kms_calls
from shared.domain.mynumber import parse_my_number
from shared.local.demo_data import DEMO_PERSONS, demo_my_number
from shared.storage import STORAGE

DEMO_NUMBERS = [demo_my_number(p[-1]) for p in DEMO_PERSONS if p[-1]]
KMS_CALL_BUDGET = 5  # DescribeKey + GenerateDataKey + Decrypt, with room for a cache refresh


def test_round_trip(runtime) -> None:
    number = parse_my_number("983205673214")
    blob = runtime.vault.encrypt(number)
    assert "983205673214" not in blob
    assert runtime.vault.decrypt(blob).digits == "983205673214"


def test_encrypting_and_decrypting_1000_numbers_costs_a_handful_of_kms_calls(runtime) -> None:
    numbers = [parse_my_number(demo_my_number(f"{i:011d}")) for i in range(1000)]
    with counting_kms_calls(runtime.clients) as calls:
        blobs = [runtime.vault.encrypt(n) for n in numbers]
        back = [runtime.vault.decrypt(b) for b in blobs]
    assert [b.digits for b in back] == [n.digits for n in numbers]
    assert sum(calls.values()) <= KMS_CALL_BUDGET, calls


def test_the_counter_sees_one_call_per_number_without_the_cache(runtime) -> None:
    """The negative twin: direct KMS encryption costs one call per number, and the counter shows it."""
    kms = runtime.clients.client("kms")
    with counting_kms_calls(runtime.clients) as calls:
        for i in range(20):
            kms.encrypt(KeyId=runtime.key_alias("mynumber"), Plaintext=demo_my_number(f"{i:011d}").encode())
    assert calls["Encrypt"] == 20


def test_blind_index_is_deterministic_keyed_and_distinct(runtime) -> None:
    a, b = parse_my_number("123456789018"), parse_my_number("983205673214")
    assert runtime.vault.blind_index(a) == runtime.vault.blind_index(parse_my_number("1234-5678-9018"))
    assert runtime.vault.blind_index(a) != runtime.vault.blind_index(b)
    import hashlib

    assert runtime.vault.blind_index(a) != hashlib.sha256(b"123456789018").hexdigest()  # keyed, not a bare hash


def test_the_index_secret_is_stored_only_as_a_kms_ciphertext(runtime) -> None:
    name = STORAGE.parameter("mynumber-index-key").physical_name("choju-test")
    stored = runtime.clients.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
    assert runtime.vault._secret().hex() not in stored


def test_ciphertext_from_another_context_is_refused(runtime) -> None:
    from aws_lambda_powertools.utilities.data_masking.exceptions import DataMaskingContextMismatchError

    masking = runtime.vault._data_masking()
    foreign = masking.encrypt("123456789018", purpose="something-else")
    with pytest.raises(DataMaskingContextMismatchError):
        runtime.vault.decrypt(foreign)


def raw_storage_text(runtime) -> str:
    """Every item of every declared table and every object outside outbound exchange files, as raw text."""
    db = runtime.clients.client("dynamodb")
    chunks = []
    for spec in STORAGE.tables:
        for page in db.get_paginator("scan").paginate(TableName=runtime.table_name(spec.name)):
            chunks.append(json.dumps(page["Items"], ensure_ascii=False))
    s3 = runtime.clients.client("s3")
    for spec in STORAGE.buckets:
        bucket = runtime.bucket_name(spec.name)
        for obj in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            if obj["Key"].startswith("outbound/"):
                continue  # files for counterparties whose approval allows the number (checked in the export tests)
            chunks.append(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read().decode("utf-8", "replace"))
    return "\n".join(chunks)


def test_no_plaintext_my_number_anywhere_in_storage(runtime) -> None:
    text = raw_storage_text(runtime)
    assert "mynumber_enc" in text  # the demo people's numbers are there, encrypted …
    for number in DEMO_NUMBERS:
        assert number not in text  # … and never in the clear


def test_the_storage_scan_finds_a_plaintext_number(runtime) -> None:
    """The negative twin: a number written in the clear is found by the same scan."""
    from shared.adapters.dynamo import to_item

    runtime.clients.client("dynamodb").put_item(TableName=runtime.table_name("persons"),
                                                Item=to_item({"person_id": "PLEAK", "note": DEMO_NUMBERS[0]}))
    assert DEMO_NUMBERS[0] in raw_storage_text(runtime)


def _fresh_vault(runtime):
    from shared.adapters.field_crypto import MyNumberVault

    return MyNumberVault(runtime.clients, runtime.key_alias("mynumber"),
                         STORAGE.parameter("mynumber-index-key").physical_name("choju-test"))


def test_the_index_secret_is_created_on_first_use_and_then_shared(runtime) -> None:
    ssm = runtime.clients.client("ssm")
    name = STORAGE.parameter("mynumber-index-key").physical_name("choju-test")
    ssm.delete_parameter(Name=name)
    number = parse_my_number("123456789018")
    first = _fresh_vault(runtime).blind_index(number)
    assert ssm.get_parameter(Name=name)["Parameter"]["Value"]
    assert _fresh_vault(runtime).blind_index(number) == first


def test_a_concurrent_first_use_adopts_the_winners_secret(runtime, monkeypatch) -> None:
    """Two cold functions both find no secret; the one that loses the put reads the winner's."""
    ssm = runtime.clients.client("ssm")
    name = STORAGE.parameter("mynumber-index-key").physical_name("choju-test")
    ssm.delete_parameter(Name=name)
    winner = _fresh_vault(runtime)
    number = parse_my_number("983205673214")
    real_get = ssm.get_parameter
    calls = {"n": 0}

    def get_after_race(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:  # the loser looked before the winner wrote …
            winner.blind_index(number)
            raise ssm.exceptions.ParameterNotFound({"Error": {"Code": "ParameterNotFound"}}, "GetParameter")
        return real_get(**kwargs)

    monkeypatch.setattr(ssm, "get_parameter", get_after_race)
    loser = _fresh_vault(runtime)
    assert loser.blind_index(number) == winner.blind_index(number)
