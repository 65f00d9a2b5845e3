"""WSGI middleware: refuse request bodies over the limit before reading them.

Stock Masonite had no limit: any body was read (and buffered) in full.
A declared Content-Length over the limit gets a 413 straight away; a chunked
body is cut off with a 413 as soon as it passes the limit.
"""

import json

from production_layer.http_errors import PayloadTooLarge

# Room for multipart boundaries and the other form fields around the largest file.
MULTIPART_OVERHEAD = 64 * 1024


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
        while piece := self._count(self.stream.read(64 * 1024)):
            pieces.append(piece)
        return b"".join(pieces)

    def readline(self, size: int = -1) -> bytes:
        return self._count(self.stream.readline(size))

    def __iter__(self):
        return iter(self.readline, b"")


class BodySizeLimit:
    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    @staticmethod
    def limit_for(max_upload_bytes: int) -> int:
        """The body limit that lets the largest accepted upload through, form fields included."""
        return max_upload_bytes + MULTIPART_OVERHEAD

    def __call__(self, environ, start_response):
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > self.limit:
            return self.too_large(environ, start_response)
        environ["wsgi.input"] = LimitedInput(environ["wsgi.input"], self.limit)
        return self.app(environ, start_response)

    def too_large(self, environ, start_response):
        message = f"The request body is larger than the limit of {self.limit} bytes."
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
