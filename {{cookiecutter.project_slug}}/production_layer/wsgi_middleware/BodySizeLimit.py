"""WSGI middleware: refuse request bodies over their kind's limit before parsing them.

Stock Masonite had no limit: any body was read and parsed in full, and a 4 MB
urlencoded form cost a worker seconds and 150 MB. Here only multipart forms (the
ones that carry files) may reach MAX_UPLOAD_BYTES; every other body is held to
MAX_BODY_BYTES (see production_layer/request/BodyLimits.py).

- A declared Content-Length over the limit gets a 413 straight away, unread.
- A chunked body that is not multipart is read here, up to its limit: past it, a
  413 before anything parses it. Within it, the app gets it with a Content-Length.
- A chunked multipart body streams to the parser and is cut off with a 413 as
  soon as it passes the limit.
"""

import io
import json

from production_layer.http_errors import PayloadTooLarge
from production_layer.request.BodyLimits import ENVIRON_KEY, MULTIPART, BodyLimits, media_type

READ_SIZE = 64 * 1024


class LimitedInput:
    def __init__(self, stream, limit: int):
        self.stream = stream
        self.remaining = limit

    def _count(self, data: bytes) -> bytes:
        self.remaining -= len(data)
        if self.remaining < 0:
            raise PayloadTooLarge()
        return data

    def read(self, size: int = -1) -> bytes:
        if size is not None and size >= 0:
            return self._count(self.stream.read(size))
        # Read to the end in pieces, so an endless chunked body is stopped at the limit.
        pieces = []
        while piece := self._count(self.stream.read(READ_SIZE)):
            pieces.append(piece)
        return b"".join(pieces)

    def readline(self, size: int = -1) -> bytes:
        return self._count(self.stream.readline(size))

    def __iter__(self):
        return iter(self.readline, b"")


class BodySizeLimit:
    def __init__(self, app, limits: BodyLimits):
        self.app = app
        self.limits = limits

    def __call__(self, environ, start_response):
        environ[ENVIRON_KEY] = self.limits
        content_type = environ.get("CONTENT_TYPE", "")
        limit = self.limits.body_limit(content_type)
        declared = declared_length(environ)
        if declared is not None and declared > limit:
            return self.too_large(environ, start_response, limit)
        if declared is None and is_chunked(environ) and media_type(content_type) != MULTIPART:
            body = read_at_most(environ["wsgi.input"], limit)
            if body is None:
                return self.too_large(environ, start_response, limit)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return self.app(environ, start_response)
        environ["wsgi.input"] = LimitedInput(environ["wsgi.input"], limit)
        return self.app(environ, start_response)

    def too_large(self, environ, start_response, limit: int):
        message = f"The request body is larger than the limit of {limit} bytes for this kind of request."
        if media_type(environ.get("CONTENT_TYPE", "")) != MULTIPART:
            message += f" Files go in a multipart/form-data body (up to {self.limits.max_upload_bytes} bytes)."
        if "application/json" in environ.get("HTTP_ACCEPT", ""):
            body = json.dumps({"error": message, "status": 413}).encode()
            content_type = "application/json"
        else:
            body = message.encode()
            content_type = "text/plain; charset=utf-8"
        start_response(
            "413 Payload Too Large",
            [("Content-Type", content_type), ("Content-Length", str(len(body))), ("Connection", "close")],
        )
        return [body]


def declared_length(environ) -> int | None:
    """The Content-Length as a number; None when absent or not a number (the parser answers that with a 400)."""
    try:
        return int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def is_chunked(environ) -> bool:
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def read_at_most(stream, limit: int) -> bytes | None:
    """The whole stream if it holds at most ``limit`` bytes; None (having read just past the limit) if more."""
    pieces, size = [], 0
    while piece := stream.read(min(READ_SIZE, limit + 1 - size)):
        pieces.append(piece)
        size += len(piece)
        if size > limit:
            return None
    return b"".join(pieces)
