"""An S3 disk that streams, stores Content-Type and never trusts a path from a user.

Replaces stock Masonite's S3 driver, which decoded every download as UTF-8 (binary
files failed), held whole files in memory, stored no Content-Type, built keys
from user-supplied names (`../` passed through), downloaded an object to answer
`exists()`, and let a second disk silently reuse the first disk's credentials.
"""

import io
import mimetypes
import uuid
from urllib.parse import quote

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from production_layer.drivers.safe_paths import clean_key, safe_extension

MISSING = {"404", "NoSuchKey", "NotFound"}
CHUNK = 8 * 1024 * 1024
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
                    # Two attempts of at most 2 + 5 s stay under gunicorn's 15 s worker timeout.
                    connect_timeout=2,
                    read_timeout=5,
                    retries={"max_attempts": 2, "mode": "standard"},
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
            return self.stream(file_path).read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise

    def stream(self, file_path: str):
        """A file-like body that reads from S3 as it is consumed."""
        response = self.get_connection().get_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
        return response["Body"]

    def head(self, file_path: str) -> dict | None:
        try:
            return self.get_connection().head_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING:
                return None
            raise

    def exists(self, file_path: str) -> bool:
        return self.head(file_path) is not None

    def missing(self, file_path: str) -> bool:
        return not self.exists(file_path)

    def delete(self, file_path: str) -> bool:
        self.get_connection().delete_object(Bucket=self.get_bucket(), Key=clean_key(file_path))
        return True

    def copy(self, from_file_path: str, to_file_path: str) -> str:
        to_key = clean_key(to_file_path)
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
        for page in paginator.paginate(Bucket=self.get_bucket(), Prefix=prefix):
            objects.extend(page.get("Contents", []))
        return objects

    # Streaming and presigned URLs ------------------------------------------

    def upload_stream(self, key: str, fileobj, content_type: str, metadata: dict | None = None) -> str:
        """Upload from a file object in chunks (multipart above 8 MB); never the whole file in memory.

        Returns the key the object was stored under (``key`` cleaned)."""
        key = clean_key(key)
        self.get_connection().upload_fileobj(
            fileobj,
            self.get_bucket(),
            key,
            ExtraArgs={"ContentType": content_type, "Metadata": metadata or {}},
            Config=STREAMING_TRANSFER,
        )
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
        """Raise if the bucket cannot be reached with these credentials."""
        self.get_connection().head_bucket(Bucket=self.get_bucket())
