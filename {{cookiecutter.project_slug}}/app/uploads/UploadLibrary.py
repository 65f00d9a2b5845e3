"""The example uploads feature: files in S3, their records in the database, the list cached in Redis.

Keys are generated here (`uploads/<timestamp>-<random><.ext>`); what the client sends
never becomes a path. Two rules keep the list and the bucket in step:

* a record is written only after S3 holds the object (an upload through the app, or a
  direct upload the browser confirms and S3 answers for); if the record cannot be
  written, the object is removed again, so an object without a record is never kept;
* a record whose object is gone from S3 (removed behind the app's back) is deleted when
  its download is asked for.

The list page is one query on the `uploads` table, never a bucket listing; its result is
cached in Redis under a generation number that every write increments, so a list computed
before a write can never be served after it.
"""

import contextlib
import logging
import re
import secrets
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from botocore.exceptions import BotoCoreError, ClientError
from redis.exceptions import RedisError

from app.formatting import filesize
from production_layer.drivers.safe_paths import safe_extension
from production_layer.http_errors import BadRequest, NotFound, PayloadTooLarge, ServiceUnavailable

logger = logging.getLogger("app.uploads")

PREFIX = "uploads/"
GENERATION_CACHE_KEY = "uploads:generation"
RECENT_CACHE_KEY = "uploads:recent:{generation}"
RECENT_CACHE_SECONDS = 300
RECENT_LIMIT = 20
COLUMNS = ["key", "original_name", "size", "content_type", "created_at"]
TOKEN = re.compile(r"^\d{14}-[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")
CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
MAX_FILENAME_LENGTH = 255


class UploadLibrary:
    def __init__(self, disk, cache, records, max_bytes: int, max_direct_bytes: int):
        self.disk = disk
        self.cache = cache
        self.records = records
        self.max_bytes = max_bytes
        self.max_direct_bytes = max_direct_bytes

    # Writing ---------------------------------------------------------------

    def store(self, upload) -> dict:
        """Validate and stream one uploaded file to S3, then record it; returns its list entry."""
        if upload is None or not hasattr(upload, "stream"):
            raise BadRequest("Choose a file to upload (form field 'file').")
        filename = self.check_filename(upload.filename)
        self.check_size(upload.size, self.max_bytes)
        content_type = self.check_content_type(upload.content_type)
        key = PREFIX + self.new_token(filename)
        with storage_unavailable_as_503():
            self.disk.upload_stream(key, upload.stream(), content_type, metadata=self.metadata(filename))
        return self.entry(self.record(key, filename, upload.size, content_type))

    def presign(self, payload: dict) -> dict:
        """Fields for a browser form that posts one file straight to S3."""
        filename = self.check_filename(payload.get("filename"))
        content_type = self.check_content_type(payload.get("content_type"))
        size = payload.get("size")
        if isinstance(size, bool) or not isinstance(size, int):
            raise BadRequest("'size' must be the file size in bytes, as a whole number.")
        self.check_size(size, self.max_direct_bytes)
        key = PREFIX + self.new_token(filename)
        post = self.disk.presigned_post(key, content_type, size, metadata=self.metadata(filename))
        return {"url": post["url"], "fields": post["fields"], "key": key}

    def confirm(self, key) -> dict:
        """Called after a direct-to-S3 upload: records the object once S3 answers for it."""
        key = PREFIX + self.check_token(str(key or "").removeprefix(PREFIX))
        existing = self.records.where("key", key).first()
        if existing is not None:
            return self.entry(existing)  # confirmed twice
        with storage_unavailable_as_503():
            head = self.disk.head(key)
        if head is None:
            raise NotFound("No such upload.")
        name = unquote(head.get("Metadata", {}).get("original-name", key.removeprefix(PREFIX)))
        content_type = head.get("ContentType") or "application/octet-stream"
        return self.entry(self.record(key, name, head["ContentLength"], content_type))

    def record(self, key: str, name: str, size: int, content_type: str):
        """Write the row of an object S3 now holds; if that fails, the object goes too."""
        fields = {"key": key, "original_name": name, "size": size, "content_type": content_type}
        try:
            record = self.records.create({**fields, "created_at": datetime.now(UTC).replace(tzinfo=None)})
        except Exception:
            existing = self.existing(key)
            if existing is not None:
                return existing  # the same upload confirmed twice at once
            self.remove_object(key)
            raise
        self.forget_recent()
        return record

    def existing(self, key: str):
        try:
            return self.records.where("key", key).first()
        except Exception:  # the database cannot tell: treat the row as absent
            return None

    def remove_object(self, key: str) -> None:
        try:
            self.disk.delete(key)
        except (BotoCoreError, ClientError) as error:
            # Never listed without a record; the object only costs storage until it is cleaned up.
            logger.warning("could not remove %s after its record failed: %s", key, type(error).__name__)

    # Reading ---------------------------------------------------------------

    def find(self, token: str):
        """The record of an upload whose object is in S3."""
        key = PREFIX + self.check_token(token)
        record = self.records.where("key", key).first()
        if record is None:
            raise NotFound("No such upload.")
        with storage_unavailable_as_503():
            head = self.disk.head(key)
        if head is None:
            record.delete()
            self.forget_recent()
            raise NotFound("No such upload.")
        return record

    def download_url(self, token: str) -> str:
        record = self.find(token)
        return self.disk.presigned_download_url(record.key, record.original_name)

    def recent(self) -> list[dict]:
        """The newest uploads, from the shared cache, or straight from the database if Redis is down."""
        try:
            generation = self.cache.get(GENERATION_CACHE_KEY) or 0
            key = RECENT_CACHE_KEY.format(generation=generation)
            return self.cache.remember(key, lambda _: self.list_from_database(), RECENT_CACHE_SECONDS)
        except RedisError:
            return self.list_from_database()

    def list_from_database(self) -> list[dict]:
        newest = (
            self.records.select(*COLUMNS)
            .order_by("created_at", "desc")
            .order_by("id", "desc")
            .limit(RECENT_LIMIT)
            .get()
        )
        return [self.entry(record) for record in newest]

    def forget_recent(self) -> None:
        try:
            self.cache.increment(GENERATION_CACHE_KEY)
        except RedisError:
            pass  # the cached list expires on its own; the record is already written

    # Rules -----------------------------------------------------------------

    @staticmethod
    def check_token(token: str) -> str:
        if not TOKEN.match(token or ""):
            raise NotFound("No such upload.")
        return token

    def check_filename(self, filename) -> str:
        if not isinstance(filename, str) or not filename.strip():
            raise BadRequest("The file has no name.")
        if "/" in filename or "\\" in filename or "\x00" in filename or filename in (".", ".."):
            raise BadRequest("The filename must be a plain name, without a path.")
        if len(filename) > MAX_FILENAME_LENGTH:
            raise BadRequest(f"The filename is longer than {MAX_FILENAME_LENGTH} characters.")
        return filename

    @staticmethod
    def check_size(size: int, limit: int) -> None:
        if size <= 0:
            raise BadRequest("The file is empty.")
        if size > limit:
            raise PayloadTooLarge(f"The file is larger than the limit of {filesize(limit)}.")

    @staticmethod
    def check_content_type(content_type) -> str:
        content_type = (content_type or "application/octet-stream").split(";")[0].strip().lower()
        if not CONTENT_TYPE.match(content_type):
            raise BadRequest("'content_type' must be a MIME type such as image/png.")
        return content_type

    @staticmethod
    def new_token(filename: str) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        return f"{stamp}-{secrets.token_hex(16)}{safe_extension(filename)}"

    @staticmethod
    def metadata(filename: str) -> dict:
        return {"original-name": quote(filename)}

    @staticmethod
    def entry(record) -> dict:
        token = record.key.removeprefix(PREFIX)
        return {
            "token": token,
            "name": record.original_name,
            "size": record.size,
            # ISO 8601 (UTC), so the entry survives the JSON of the Redis cache; templates format it.
            "uploaded_at": record.created_at.isoformat(),
            "url": f"/uploads/{token}",
        }


@contextlib.contextmanager
def storage_unavailable_as_503():
    """S3 unreachable or failing on its side: a 503 the user can retry, not a 500."""
    try:
        yield
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 500)
        if status >= 500:
            raise ServiceUnavailable("File storage is unavailable right now. Please try again shortly.") from error
        raise
    except BotoCoreError as error:
        raise ServiceUnavailable("File storage is unavailable right now. Please try again shortly.") from error
