"""Every way an S3 call failed here ends as StorageUnavailable (a 503), and nothing is left in S3.

The S3 disk talks to the moto server through a relay that breaks the connection at an exact
point (tests/support/fault_proxy.py): before, during and after an upload's transfer, by
refusing, resetting (RST), closing (FIN, as a killed server's socket closes) or stalling.
"""

from __future__ import annotations

import io
import re
import time
import uuid

import pytest
import urllib3.exceptions
from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError
from production_layer.drivers.s3_metadata import USER_METADATA_LIMIT, UserMetadataTooLarge, user_metadata_size
from production_layer.drivers.S3Driver import S3Driver
from production_layer.drivers.storage_errors import storage_call
from production_layer.drivers.StorageUnavailable import StorageUnavailable

from tests.support.fault_proxy import Fault, fault_proxy
from tests.support.processes import s3_client

BUCKET = "storage-faults"
MB = 1024 * 1024
PART_2 = rb"[?&]partNumber=2[& ]"
ANSWERED = rb"HTTP/1\.1 [2-5]\d\d"  # a final status line, after any 100 Continue


def case_ids(cases: dict) -> list[str]:
    return [name.replace(" ", "-") for name in cases]


@pytest.fixture(scope="module")
def emulator(s3):
    s3_client(s3).create_bucket(Bucket=BUCKET)
    return s3


@pytest.fixture
def proxy(emulator):
    with fault_proxy(emulator.port) as relay:
        yield relay


def disk(proxy, **options) -> S3Driver:
    return S3Driver(None).set_options(
        {
            "client": "test",
            "secret": "test",
            "region": "us-east-1",
            "endpoint_url": proxy.url,
            "bucket": BUCKET,
            **options,
        }
    )


def traces(emulator, key: str) -> list[str]:
    """The object, or an incomplete multipart upload, that S3 still holds under `key`."""
    client = s3_client(emulator)
    found = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET, Prefix=key).get("Contents", [])]
    uploads = client.list_multipart_uploads(Bucket=BUCKET, Prefix=key).get("Uploads", [])
    return found + [f"incomplete multipart upload of {item['Key']}" for item in uploads]


def eventually_clean(emulator, key: str, seconds: float = 20) -> list[str]:
    deadline = time.monotonic() + seconds
    while (left := traces(emulator, key)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def abort_everything(emulator, key: str) -> None:
    client = s3_client(emulator)
    for item in client.list_multipart_uploads(Bucket=BUCKET, Prefix=key).get("Uploads", []):
        client.abort_multipart_upload(Bucket=BUCKET, Key=item["Key"], UploadId=item["UploadId"])


COMPLETE = rb"POST /storage-faults/\S+\?uploadId="
SINGLE_PUT = rb"PUT /storage-faults/[^?\s]+ HTTP"

# name: (fault, the request S3 carried out although the upload failed)
UPLOAD_FAULTS = {
    # before the transfer
    "refused": (None, None),
    "reset while asking for a multipart upload": (Fault(rb"POST /storage-faults/\S+\?uploads ", "reset"), None),
    # during
    "reset in the middle of part 2": (Fault(PART_2, "reset", "request", 1 * MB), None),
    "reset before part 2's answer": (Fault(PART_2, "reset", "response", after_response=ANSWERED), None),
    "stalled in the middle of part 2": (Fault(PART_2, "stall", "request", 1 * MB), None),
    # after: S3 holds the whole object, but its answer is lost
    "reset before the completion's answer": (Fault(COMPLETE, "reset", "response"), "POST {key}?uploadId="),
    "answer to a single PUT lost": (Fault(SINGLE_PUT, "reset", "response", after_response=ANSWERED), "PUT {key} "),
}


def served(emulator, request: str) -> bool:
    """Whether the emulator's access log shows `request` answered with a 200."""
    pattern = re.escape(request).replace(r"\?uploadId=", r"\?uploadId=\S*") + r'.*" 200 '
    return re.search(pattern, emulator.log_path.read_text(errors="replace")) is not None


@pytest.mark.parametrize("fault,carried_out", UPLOAD_FAULTS.values(), ids=case_ids(UPLOAD_FAULTS))
def test_a_failed_upload_is_storage_unavailable_and_leaves_nothing(emulator, proxy, fault, carried_out):
    key = f"uploads/{uuid.uuid4().hex}.bin"
    size = 2 * MB if fault is not None and b"PUT" in fault.request else 17 * MB
    if fault is None:
        proxy.refuse()
    else:
        proxy.fail(fault)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as raised:
        disk(proxy, upload_timeout=4).upload_stream(key, io.BytesIO(b"u" * size), "application/octet-stream")
    seconds = time.monotonic() - started
    proxy.heal()
    left = eventually_clean(emulator, key)
    print(f"\n[{raised.value}] after {seconds:.1f} s; connections broken: {proxy.triggered}")
    assert raised.value.get_status() == 503
    assert "File storage is unavailable" in raised.value.get_response()
    assert seconds < 4 + 1, "the upload gave up at its deadline"
    if carried_out:
        assert served(emulator, carried_out.format(key=f"/{BUCKET}/{key}")), "S3 did store the object"
    assert left == []


def test_a_connection_closed_inside_the_answers_headers_is_storage_unavailable_not_a_key_error(emulator, proxy):
    """What a killed S3 did to the stock code: CreateMultipartUpload read as an empty 200 (no UploadId)."""
    key = f"uploads/{uuid.uuid4().hex}.bin"
    proxy.fail(Fault(rb"POST /storage-faults/\S+\?uploads ", "close", "response", after_bytes=20))
    with pytest.raises(StorageUnavailable) as raised:
        disk(proxy).upload_stream(key, io.BytesIO(b"k" * (9 * MB)), "application/octet-stream")
    proxy.heal()
    assert isinstance(raised.value.__cause__, KeyError)
    # S3 did start uploads whose ids never arrived: only the bucket's lifecycle rule can abort them.
    abort_everything(emulator, key)
    assert eventually_clean(emulator, key) == []


def test_an_upload_that_finishes_after_the_deadline_is_deleted_once_it_does(emulator, proxy):
    key = f"uploads/{uuid.uuid4().hex}.bin"
    proxy.fail(Fault(PART_2, "stall", "request", 1 * MB))
    with pytest.raises(StorageUnavailable) as raised:
        disk(proxy, upload_timeout=1).upload_stream(key, io.BytesIO(b"d" * (17 * MB)), "application/octet-stream")
    assert isinstance(raised.value.__cause__, TimeoutError)
    proxy.heal()  # the stalled part fails over to a retry, which S3 now answers: the transfer completes...
    assert eventually_clean(emulator, key) == []  # ...and is deleted, since the request already gave up


@pytest.mark.parametrize(
    "fault",
    [None, Fault(rb"HEAD /", "reset", "response"), Fault(rb"HEAD /", "close", "response", after_bytes=20)],
    ids=["refused", "reset", "closed-inside-the-headers"],
)
def test_a_failed_head_is_storage_unavailable_and_a_missing_key_is_none(emulator, proxy, fault):
    key = f"uploads/{uuid.uuid4().hex}.txt"
    s3_client(emulator).put_object(Bucket=BUCKET, Key=key, Body=b"here")
    assert disk(proxy).head(key)["ContentLength"] == 4
    assert disk(proxy).head(key + ".missing") is None
    if fault is None:
        proxy.refuse()
    else:
        proxy.fail(fault)
    with pytest.raises(StorageUnavailable):
        disk(proxy).head(key)


def test_a_stalled_head_answers_within_two_attempts_of_the_read_timeout(emulator, proxy):
    """botocore's `max_attempts` counts retries: two would be three attempts, 15 s, the worker timeout."""
    key = f"uploads/{uuid.uuid4().hex}.txt"
    s3_client(emulator).put_object(Bucket=BUCKET, Key=key, Body=b"here")
    proxy.fail(Fault(rb"HEAD /", "stall", "response"))
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        disk(proxy).head(key)
    assert proxy.triggered == 2
    print(f"\n[stalled HEAD] StorageUnavailable after {time.monotonic() - started:.1f} s, 2 attempts")


def client_error(status: int, code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "Op")


@pytest.mark.parametrize(
    "error",
    [
        client_error(500, "InternalError"),
        client_error(503, "SlowDown"),
        client_error(403, "AccessDenied"),
        client_error(403, "RequestTimeTooSkewed"),
        client_error(404, "NoSuchBucket"),
        client_error(404, "NoSuchUpload"),
        client_error(400, "RequestTimeout"),
        EndpointConnectionError(endpoint_url="http://s3"),
        ConnectionClosedError(endpoint_url="http://s3"),
        ReadTimeoutError(endpoint_url="http://s3"),
        urllib3.exceptions.ProtocolError("Connection broken", ConnectionResetError()),
        urllib3.exceptions.ReadTimeoutError(None, "/", "timed out"),
        ConnectionResetError(104, "reset"),
        TimeoutError("timed out"),
        S3UploadFailedError("Failed to upload"),
        KeyError("UploadId"),
    ],
    ids=lambda error: (
        f"ClientError-{error.response['Error']['Code']}" if isinstance(error, ClientError) else type(error).__name__
    ),
)
def test_every_failure_of_s3_or_the_network_is_storage_unavailable(error):
    with pytest.raises(StorageUnavailable) as raised, storage_call("Op"):
        raise error
    assert raised.value.__cause__ is error
    assert raised.value.get_status() == 503


def test_a_missing_key_is_not_a_failure_where_the_caller_expects_one():
    missing = client_error(404, "NoSuchKey")
    with pytest.raises(ClientError), storage_call("HeadObject", missing_ok=True):
        raise missing
    with pytest.raises(StorageUnavailable), storage_call("DeleteObject"):
        raise missing


def test_programming_errors_are_not_hidden_as_outages():
    with pytest.raises(TypeError), storage_call("Op"):
        raise TypeError("bad argument")


def test_metadata_over_s3s_2_kb_is_refused_before_anything_is_sent(proxy):
    fits = {"original-name": "a" * (USER_METADATA_LIMIT - len("x-amz-meta-original-name"))}
    assert user_metadata_size(fits) == USER_METADATA_LIMIT
    too_large = {"original-name": fits["original-name"] + "a"}
    with pytest.raises(UserMetadataTooLarge, match="2,049 bytes is over S3's limit of 2,048 bytes"):
        disk(proxy).upload_stream("uploads/x.txt", io.BytesIO(b"x"), "text/plain", metadata=too_large)
    with pytest.raises(UserMetadataTooLarge):
        disk(proxy).presigned_post("uploads/x.txt", "text/plain", 10, metadata=too_large)
    assert proxy.triggered == 0 and proxy.connections == 0
