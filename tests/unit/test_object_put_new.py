"""ObjectStore.put_new, S3's conditional write, on the answers moto does not give: a write of the same key in
flight (409 ConditionalRequestConflict) is asked again, a bounded number of times; an object already there (412)
is False; any other error is raised."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from shared.adapters.objects import CONDITIONAL_ATTEMPTS, ObjectStore

PUT = {"Bucket": "b", "Key": "k", "Body": b"x", "ContentType": "text/plain", "ServerSideEncryption": "aws:kms",
       "SSEKMSKeyId": "alias/data", "Metadata": {}, "IfNoneMatch": "*"}


def _store(*answers: tuple[str, int] | None) -> tuple[ObjectStore, Stubber]:
    client = boto3.client("s3", region_name="ap-northeast-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    for answer in answers:
        if answer is None:
            stubber.add_response("put_object", {"ETag": '"e"'}, PUT)
        else:
            stubber.add_client_error("put_object", answer[0], http_status_code=answer[1], expected_params=PUT)
    stubber.activate()
    return ObjectStore(client, "b", "alias/data"), stubber


def test_a_conflicting_write_in_flight_is_asked_again() -> None:
    store, stubber = _store(("ConditionalRequestConflict", 409), None)
    assert store.put_new("k", b"x", "text/plain") is True
    stubber.assert_no_pending_responses()


def test_an_object_already_there_is_false_and_not_asked_again() -> None:
    store, stubber = _store(("PreconditionFailed", 412))
    assert store.put_new("k", b"x", "text/plain") is False
    stubber.assert_no_pending_responses()


def test_conflicts_that_never_end_are_an_error_after_the_bounded_attempts() -> None:
    store, stubber = _store(*[("ConditionalRequestConflict", 409)] * CONDITIONAL_ATTEMPTS)
    with pytest.raises(RuntimeError, match="kept conflicting"):
        store.put_new("k", b"x", "text/plain")
    stubber.assert_no_pending_responses()


def test_twin_any_other_error_is_raised_not_taken_for_an_object_there() -> None:
    store, _ = _store(("AccessDenied", 403))
    with pytest.raises(Exception, match="AccessDenied"):
        store.put_new("k", b"x", "text/plain")
