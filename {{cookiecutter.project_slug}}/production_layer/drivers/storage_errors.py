"""Every way an S3 call can fail, turned into one exception: StorageUnavailable (a 503).

boto3 does not wrap all of its failures in one type. Breaking connections at each point of
an upload (tests/faults/test_s3_failures.py, tests/production_layer/test_storage_errors.py)
gives:

* botocore's own errors (`BotoCoreError`): refused and timed-out connections
  (`EndpointConnectionError`, `ConnectTimeoutError`, `ReadTimeoutError`), resets
  (`ConnectionClosedError`), a body cut short (`ResponseStreamingError`), TLS failures, and
  `HTTPClientError` for anything else urllib3 raised;
* `ClientError`, for every answer S3 gives with an error status: 5xx and throttling, but also
  the 4xx of a deployment problem (wrong credentials or bucket, a clock too far off),
  `NoSuchUpload` when a retried CompleteMultipartUpload had in fact succeeded, and a 200
  whose body was cut short;
* a `KeyError` from s3transfer, or a HEAD answer without `ContentLength`: a connection closed
  in the middle of a response's headers reads as a complete 200 with the headers received
  so far and no body (Python's http.client ends the headers at end of file), so s3transfer
  finds no `UploadId` in a CreateMultipartUpload answer. This was the 500 a test saw when
  the emulator was killed during an upload.

Also caught, though botocore wraps them today: urllib3's and the socket's own errors, and the
`S3UploadFailedError` and `RetriesExceededError` of boto3's managed transfer helpers.

Only "no such key" is not a failure: the disk's `head()` and `get()` answer None for it.
"""

import contextlib
import logging
import ssl
from collections.abc import Iterator

import urllib3.exceptions
from boto3.exceptions import S3UploadFailedError as Boto3UploadFailed
from botocore.exceptions import BotoCoreError, ClientError
from s3transfer.exceptions import RetriesExceededError
from s3transfer.exceptions import S3UploadFailedError as TransferUploadFailed

from production_layer.drivers.StorageUnavailable import StorageUnavailable

logger = logging.getLogger("app.storage")

MISSING = {"404", "NoSuchKey", "NotFound"}


class IncompleteResponse(Exception):
    """S3's answer lacks what every complete answer to that call has."""


TRANSPORT_ERRORS = (
    BotoCoreError,
    IncompleteResponse,
    KeyError,  # only boto3 and s3transfer run inside storage_call: a field missing from a cut answer
    urllib3.exceptions.HTTPError,
    ConnectionError,
    TimeoutError,
    ssl.SSLError,
    Boto3UploadFailed,
    TransferUploadFailed,
    RetriesExceededError,
)


def is_missing(error: BaseException) -> bool:
    return isinstance(error, ClientError) and error.response.get("Error", {}).get("Code") in MISSING


@contextlib.contextmanager
def storage_call(operation: str, missing_ok: bool = False) -> Iterator[None]:
    """Raise StorageUnavailable for any failure inside; with `missing_ok`, a missing key stays a ClientError."""
    try:
        yield
    except ClientError as error:
        if missing_ok and is_missing(error):
            raise
        raise unavailable(operation, error) from error
    except TRANSPORT_ERRORS as error:
        raise unavailable(operation, error) from error


def unavailable(operation: str, error: BaseException) -> StorageUnavailable:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        # A 4xx here is the deployment's problem (credentials, bucket, clock), not the visitor's.
        level = logging.ERROR if status is not None and status < 500 else logging.WARNING
        logger.log(
            level, "S3 %s failed: %s %s (HTTP %s)", operation, details.get("Code"), details.get("Message"), status
        )
    else:
        logger.warning("S3 %s failed: %s: %s", operation, type(error).__name__, error)
    return StorageUnavailable(operation)
