"""The example uploads feature: files in S3, the recent list cached in Redis.

Keys are generated here (`uploads/<timestamp>-<random><.ext>`); the client's
filename is kept only as S3 metadata, so nothing a user sends becomes a path.
"""

import contextlib
import re
import secrets
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from botocore.exceptions import BotoCoreError, ClientError
from redis.exceptions import RedisError

from app.formatting import filesize
from production_layer.drivers.safe_paths import safe_extension
from production_layer.http_errors import BadRequest, NotFound, PayloadTooLarge, ServiceUnavailable

PREFIX = "uploads/"
RECENT_CACHE_KEY = "uploads:recent"
RECENT_CACHE_SECONDS = 300
RECENT_LIMIT = 20
TOKEN = re.compile(r"^\d{14}-[0-9a-f]{32}(\.[a-z0-9]{1,10})?$")
CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")
MAX_FILENAME_LENGTH = 255


class UploadLibrary:
    def __init__(self, disk, cache, max_bytes: int, max_direct_bytes: int):
        self.disk = disk
        self.cache = cache
        self.max_bytes = max_bytes
        self.max_direct_bytes = max_direct_bytes

    # Writing ---------------------------------------------------------------

    def store(self, upload) -> dict:
        """Validate and stream one uploaded file to S3; returns its list entry."""
        if upload is None or not hasattr(upload, "stream"):
            raise BadRequest("Choose a file to upload (form field 'file').")
        filename = self.check_filename(upload.filename)
        self.check_size(upload.size, self.max_bytes)
        content_type = self.check_content_type(upload.content_type)
        token = self.new_token(filename)
        with storage_unavailable_as_503():
            self.disk.upload_stream(PREFIX + token, upload.stream(), content_type, metadata=self.metadata(filename))
        self.forget_recent()
        return {"token": token, "name": filename, "size": upload.size}

    def presign(self, payload: dict) -> dict:
        """Fields for a browser form that posts one file straight to S3."""
        filename = self.check_filename(payload.get("filename"))
        content_type = self.check_content_type(payload.get("content_type"))
        size = payload.get("size")
        if isinstance(size, bool) or not isinstance(size, int):
            raise BadRequest("'size' must be the file size in bytes, as a whole number.")
        self.check_size(size, self.max_direct_bytes)
        token = self.new_token(filename)
        post = self.disk.presigned_post(PREFIX + token, content_type, size, metadata=self.metadata(filename))
        return {"url": post["url"], "fields": post["fields"], "key": PREFIX + token}

    def confirm(self, key) -> dict:
        """Called after a direct-to-S3 upload: checks the object and refreshes the list."""
        token = str(key or "").removeprefix(PREFIX)
        entry = self.find(token)
        self.forget_recent()
        return entry

    # Reading ---------------------------------------------------------------

    def find(self, token: str) -> dict:
        if not TOKEN.match(token or ""):
            raise NotFound("No such upload.")
        with storage_unavailable_as_503():
            head = self.disk.head(PREFIX + token)
        if head is None:
            raise NotFound("No such upload.")
        return self.entry(token, head["ContentLength"], head.get("Metadata", {}))

    def download_url(self, token: str) -> str:
        entry = self.find(token)
        return self.disk.presigned_download_url(PREFIX + token, entry["name"])

    def recent(self) -> list[dict]:
        """The newest uploads, from the shared cache, or straight from S3 if Redis is down."""
        try:
            return self.cache.remember(RECENT_CACHE_KEY, lambda _: self.list_from_storage(), RECENT_CACHE_SECONDS)
        except RedisError:
            return self.list_from_storage()

    def list_from_storage(self) -> list[dict]:
        with storage_unavailable_as_503():
            return self._list_from_storage()

    def _list_from_storage(self) -> list[dict]:
        objects = sorted(self.disk.get_files("uploads"), key=lambda item: item["Key"], reverse=True)
        entries = []
        for item in objects[:RECENT_LIMIT]:
            token = item["Key"].removeprefix(PREFIX)
            head = self.disk.head(item["Key"]) or {}
            entries.append(self.entry(token, item["Size"], head.get("Metadata", {})))
        return entries

    def forget_recent(self) -> None:
        try:
            self.cache.forget(RECENT_CACHE_KEY)
        except RedisError:
            pass  # the cached list expires on its own; S3 already has the file

    # Rules -----------------------------------------------------------------

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
    def entry(token: str, size: int, metadata: dict) -> dict:
        stamp = token.split("-", 1)[0]
        uploaded = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        return {
            "token": token,
            "name": unquote(metadata.get("original-name", token)),
            "size": size,
            # ISO 8601, so the entry survives the JSON of the Redis cache; templates format it.
            "uploaded_at": uploaded.isoformat(),
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
