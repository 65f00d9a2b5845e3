"""An S3 disk that streams, stores Content-Type and never trusts a path from a user.

Replaces stock Masonite's S3 driver, which decoded every download as UTF-8 (binary
files failed), held whole files in memory, stored no Content-Type, built keys
from user-supplied names (`../` passed through), downloaded an object to answer
`exists()`, and let a second disk silently reuse the first disk's credentials.

Every call that reaches S3 raises StorageUnavailable (a 503) for any failure of S3 or
of the network (production_layer/drivers/storage_errors.py), and an upload answers
within `upload_timeout` seconds whatever S3 does (TransferWithDeadline.py).
"""

import io
import mimetypes
import uuid
from urllib.parse import quote

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from production_layer.drivers.s3_metadata import check_user_metadata
from production_layer.drivers.safe_paths import clean_key, safe_extension
from production_layer.drivers.storage_errors import IncompleteResponse, is_missing, storage_call
from production_layer.drivers.TransferWithDeadline import TransferWithDeadline

CHUNK = 8 * 1024 * 1024
# An upload gives up after this long (disk option `upload_timeout`), so a dyno answers a 503
# before gunicorn's 15 s worker timeout, with time left to receive the body and record it.
UPLOAD_SECONDS = 10
# One 8 MB part in memory at a time, whatever the file's size (boto3's default keeps up to 10).
STREAMING_TRANSFER = TransferConfig(multipart_threshold=CHUNK, multipart_chunksize=CHUNK, use_threads=False)


class S3Driver:
    _clients: dict = {}

    def __init__(self, application):
        self.application = application
        self.options = {}

    def set_options(self, options: dict) -> "S3Driver":
        self.options = options
        return self

    def get_connection(self):
        """A boto3 client per set of credentials and endpoint, so each disk uses its own."""
        identity = (
            self.options.get("client"),
            self.options.get("secret"),
            self.options.get("region"),
            self.options.get("endpoint_url"),
        )
        client = self._clients.get(identity)
        if client is None:
            client = boto3.session.Session().client(
                "s3",
                aws_access_key_id=self.options.get("client"),
                aws_secret_access_key=self.options.get("secret"),
                region_name=self.options.get("region"),
                endpoint_url=self.options.get("endpoint_url"),
                config=Config(
                    # Two attempts in all (botocore's `max_attempts` would count retries only) of at
                    # most 2 + 5 s: a hung S3 costs one call 10-14 s, under gunicorn's 15 s timeout.
                    connect_timeout=2,
                    read_timeout=5,
                    retries={"total_max_attempts": 2, "mode": "standard"},
                    signature_version="s3v4",
                ),
            )
            self._clients[identity] = client
        return client

    def get_bucket(self) -> str:
        return self.options["bucket"]

    # Masonite's disk API ---------------------------------------------------

    def put(self, file_path: str, content, content_type: str = "application/octet-stream") -> str:
        """Store ``content`` (text, bytes or a file object) under ``file_path`` cleaned; returns that key."""
        key = clean_key(file_path)
        if isinstance(content, str):
            content = content.encode("utf-8")
        if isinstance(content, (bytes, bytearray)):
            with storage_call("PutObject"):
                self.get_connection().put_object(
                    Bucket=self.get_bucket(), Key=key, Body=bytes(content), ContentType=content_type
                )
            return key
        return self.upload_stream(key, content, content_type)

    def put_file(self, file_path: str, content, name: str | None = None) -> str:
        """Store an uploaded file under a server-generated name inside ``file_path``."""
        file_name = f"{name or uuid.uuid4().hex}{safe_extension(content.name)}"
        key = clean_key(f"{file_path}/{file_name}")
        body = content.stream()
        if isinstance(body, str):
            body = body.encode("utf-8")
        if isinstance(body, bytes):
            body = io.BytesIO(body)
        content_type = (
            getattr(content, "content_type", None)
            or mimetypes.guess_type(content.name)[0]
            or "application/octet-stream"
        )
        return self.upload_stream(key, body, content_type)

    def store(self, file, name: str | None = None) -> str:
        return self.put_file("", file, name=name)

    def get(self, file_path: str) -> bytes | None:
        """The object's bytes (binary-safe), or None if it does not exist.

        For large objects use `stream()` or a presigned URL instead.
        """
        try:
            with storage_call("GetObject", missing_ok=True):
                return self.stream(file_path).read()
        except ClientError as error:
            if is_missing(error):
                return None
            raise

    def stream(self, file_path: str):
        """A file-like body that reads from S3 as it is consumed."""
        with storage_call("GetObject", missing_ok=True):
            response = self.get_connection().get_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
        return response["Body"]

    def head(self, file_path: str) -> dict | None:
        try:
            with storage_call("HeadObject", missing_ok=True):
                head = self.get_connection().head_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
                if "ContentLength" not in head:
                    raise IncompleteResponse("HeadObject answered without Content-Length")
                return head
        except ClientError as error:
            if is_missing(error):
                return None
            raise

    def exists(self, file_path: str) -> bool:
        return self.head(file_path) is not None

    def missing(self, file_path: str) -> bool:
        return not self.exists(file_path)

    def delete(self, file_path: str) -> bool:
        with storage_call("DeleteObject"):
            self.get_connection().delete_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
        return True

    def copy(self, from_file_path: str, to_file_path: str) -> str:
        to_key = clean_key(to_file_path)
        with storage_call("CopyObject"):
            self.get_connection().copy(
                {"Bucket": self.get_bucket(), "Key": clean_key(from_file_path)}, self.get_bucket(), to_key
            )
        return to_key

    def move(self, from_file_path: str, to_file_path: str) -> str:
        to_key = self.copy(from_file_path, to_file_path)
        self.delete(from_file_path)
        return to_key

    def get_files(self, directory: str = "") -> list[dict]:
        prefix = clean_key(directory) + "/" if directory else ""
        paginator = self.get_connection().get_paginator("list_objects_v2")
        objects = []
        with storage_call("ListObjectsV2"):
            for page in paginator.paginate(Bucket=self.get_bucket(), Prefix=prefix):
                objects.extend(page.get("Contents", []))
        return objects

    # Streaming and presigned URLs ------------------------------------------

    def upload_stream(self, key: str, fileobj, content_type: str, metadata: dict | None = None) -> str:
        """Upload from a file object in chunks (multipart above 8 MB); never the whole file in memory.

        Returns the key the object was stored under (``key`` cleaned). Raises StorageUnavailable
        if S3 fails or does not finish within `upload_timeout` seconds; whatever S3 may hold
        under the key is then deleted (TransferWithDeadline.py).
        """
        check_user_metadata(metadata)
        client, bucket, key = self.get_connection(), self.get_bucket(), clean_key(key)

        def upload():
            client.upload_fileobj(
                fileobj,
                bucket,
                key,
                ExtraArgs={"ContentType": content_type, "Metadata": metadata or {}},
                Config=STREAMING_TRANSFER,
            )

        seconds = float(self.options.get("upload_timeout", UPLOAD_SECONDS))
        with storage_call("upload"):
            TransferWithDeadline(client, bucket, key, upload, seconds).run()
        return key

    def presigned_download_url(self, key: str, download_name: str, seconds: int | None = None) -> str:
        return self.get_connection().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.get_bucket(),
                "Key": clean_key(key),
                "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(download_name)}",
            },
            ExpiresIn=seconds or self.options.get("presigned_url_seconds", 300),
        )

    def presigned_post(
        self, key: str, content_type: str, max_bytes: int, metadata: dict | None = None, seconds: int | None = None
    ) -> dict:
        """A browser form upload straight to S3, pinned to this key, type and size range."""
        key = clean_key(key)
        check_user_metadata(metadata)
        fields = {"Content-Type": content_type}
        conditions = [{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]]
        for name, value in (metadata or {}).items():
            fields[f"x-amz-meta-{name}"] = value
            conditions.append({f"x-amz-meta-{name}": value})
        return self.get_connection().generate_presigned_post(
            Bucket=self.get_bucket(),
            Key=key,
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=seconds or self.options.get("presigned_url_seconds", 300),
        )

    def check(self) -> None:
        """Raise StorageUnavailable if the bucket cannot be reached with these credentials."""
        with storage_call("HeadBucket"):
            self.get_connection().head_bucket(Bucket=self.get_bucket())
