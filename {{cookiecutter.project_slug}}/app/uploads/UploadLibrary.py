"""The example uploads feature: files in S3, their records in the database, the list cached in Redis.

Keys are generated here (`uploads/<timestamp>-<random><.ext>`); what the client sends
never becomes a path. Two rules keep the list and the bucket in step:

* a record is written only after S3 holds the object (an upload through the app, or a
  direct upload the browser confirms and S3 answers for); if the record cannot be
  written, the object is removed again, so an object without a record is never kept;
* a record whose object is gone from S3 (removed behind the app's back) is deleted when
  its download is asked for.

Objects the app did not create (the S3 console's folder marker `uploads/`, a README, a
file another tool wrote) are never recorded: keys must have the app's own form, and a
direct upload is confirmed only if it carries the metadata its presigned form required.

Filenames are cleaned (production_layer/filenames.py) before they are stored in S3's
metadata and the database, which always hold the same name, and again before they are
shown. Any S3 failure is a StorageUnavailable from the disk: a 503, never a 500.

The list page is one query on the `uploads` table, never a bucket listing. Its result is
cached in Redis with the generation number it was computed at, and every write increments
the generation: a page reads both in one round trip and serves the cached list only if it
is of the current generation, so a list computed before a write is never served after it.
"""

import logging
import re
import secrets
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from redis.exceptions import RedisError

from app.formatting import filesize
from production_layer.drivers.s3_metadata import USER_METADATA_LIMIT, user_metadata_size
from production_layer.drivers.safe_paths import safe_extension
from production_layer.drivers.StorageUnavailable import StorageUnavailable
from production_layer.filenames import clean_filename
from production_layer.http_errors import BadRequest, NotFound, PayloadTooLarge

logger = logging.getLogger("app.uploads")

PREFIX = "uploads/"
GENERATION_CACHE_KEY = "uploads:generation"
RECENT_CACHE_KEY = "uploads:recent"
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
        """Called after a direct-to-S3 upload: records the object once S3 answers for it.

        Only an object made through this app's presigned form is recorded: that form makes S3
        store the cleaned name as metadata, and the row gets exactly that name.
        """
        key = PREFIX + self.check_token(str(key or "").removeprefix(PREFIX))
        existing = self.records.where("key", key).first()
        if existing is not None:
            return self.entry(existing)  # confirmed twice
        head = self.disk.head(key)
        name = self.name_from_metadata(head) if head is not None else None
        if name is None:
            raise NotFound("No such upload.")
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
        except StorageUnavailable as error:
            # Never listed without a record; the object only costs storage until it is cleaned up.
            logger.warning("could not remove %s after its record failed: %s", key, error)

    # Reading ---------------------------------------------------------------

    def find(self, token: str):
        """The record of an upload whose object is in S3."""
        key = PREFIX + self.check_token(token)
        record = self.records.where("key", key).first()
        if record is None:
            raise NotFound("No such upload.")
        head = self.disk.head(key)
        if head is None:
            record.delete()
            self.forget_recent()
            raise NotFound("No such upload.")
        return record

    def download_url(self, token: str) -> str:
        record = self.find(token)
        return self.disk.presigned_download_url(record.key, clean_filename(record.original_name) or token)

    def recent(self) -> list[dict]:
        """The newest uploads, from the shared cache, or straight from the database if Redis is down."""
        try:
            generation, cached = self.cache.get_many([GENERATION_CACHE_KEY, RECENT_CACHE_KEY])
            generation = generation or 0
            if isinstance(cached, dict) and cached.get("generation") == generation:
                return cached["entries"]
            entries = self.list_from_database()
            # `generation` was read before the query: after a write meanwhile, pages query again.
            self.cache.put(RECENT_CACHE_KEY, {"generation": generation, "entries": entries}, RECENT_CACHE_SECONDS)
            return entries
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
        """The name to store: cleaned of unsafe characters, or refused with the reason."""
        if not isinstance(filename, str) or not filename.strip():
            raise BadRequest("The file has no name.")
        # No file system allows NUL in a name: it is there to cut the name short somewhere.
        if "\x00" in filename:
            raise BadRequest("The filename must be a plain name, without a path.")
        name = clean_filename(filename)
        if not name:
            raise BadRequest("The filename has no visible characters.")
        if "/" in name or "\\" in name or name in (".", ".."):
            raise BadRequest("The filename must be a plain name, without a path.")
        if len(name) > MAX_FILENAME_LENGTH:
            raise BadRequest(f"The filename is longer than {MAX_FILENAME_LENGTH} characters.")
        size = user_metadata_size(self.metadata(name))
        if size > USER_METADATA_LIMIT:
            raise BadRequest(
                f"The filename is too long to store: S3 keeps it with the file as metadata, which is limited "
                f"to 2 KB ({USER_METADATA_LIMIT:,} bytes), and this name needs {size:,} bytes. Please shorten it."
            )
        return name

    def name_from_metadata(self, head: dict) -> str | None:
        """The name a presigned form of this app stored, or None for an object the app did not make."""
        stored = (head.get("Metadata") or {}).get("original-name")
        try:
            name = unquote(stored, errors="strict") if isinstance(stored, str) else None
            return name if name is not None and self.check_filename(name) == name else None
        except (UnicodeDecodeError, BadRequest):
            return None

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
            "name": clean_filename(record.original_name),
            "size": record.size,
            # ISO 8601 (UTC), so the entry survives the JSON of the Redis cache; templates format it.
            "uploaded_at": record.created_at.isoformat(),
            "url": f"/uploads/{token}",
        }
