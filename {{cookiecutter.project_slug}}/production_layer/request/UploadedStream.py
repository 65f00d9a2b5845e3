"""An uploaded file that stays on the parser's spooled file instead of in memory."""

import hashlib

from masonite.utils.filesystem import get_extension


class UploadedStream:
    def __init__(self, filename: str, content_type: str, size: int, file):
        self.filename = filename or ""
        self.content_type = content_type or "application/octet-stream"
        self.size = size
        self.file = file

    @classmethod
    def from_part(cls, part) -> "UploadedStream":
        part.file.seek(0)
        return cls(part.filename, part.content_type, part.size, part.file)

    @property
    def name(self) -> str:
        return self.filename

    def extension(self) -> str:
        return get_extension(self.filename)

    def hash_path_name(self) -> str:
        return hashlib.sha1(self.filename.encode()).hexdigest() + self.extension()

    def stream(self):
        self.file.seek(0)
        return self.file

    def get_content(self) -> bytes:
        """The whole file in memory: prefer `stream()` for anything large."""
        self.file.seek(0)
        return self.file.read()
