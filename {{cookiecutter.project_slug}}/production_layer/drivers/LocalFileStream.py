"""A file on the local disk, open for reading: Masonite's FileStream that can also be read directly.

Masonite's `stream()` returns a FileStream (`.stream`, `.name()`, `.path()`); the S3 disk
returns a body with `read()`. This is both, so code written for either disk works with
the other. Close it, or use it in a `with` block.
"""

from masonite.filesystem.FileStream import FileStream


class LocalFileStream(FileStream):
    def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> "LocalFileStream":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
