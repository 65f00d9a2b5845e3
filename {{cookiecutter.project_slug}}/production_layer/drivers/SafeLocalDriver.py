"""The local disk: Masonite's whole LocalDriver interface, with nothing escaping the disk's root.

Stock Masonite joined user-supplied names onto the disk root, so `../` wrote
outside it; `copy()` did not even use the root (`copy("/etc/passwd", ...)` read
any file); `get()` and `stream()` opened files as text (binary files failed) and
`stream()` returned an already closed file; `store()` failed on streamed uploads;
`get_files()` read each file from the wrong folder; reads created directories.

Here every method that takes a path cleans it the way S3 keys are cleaned
(`safe_paths.clean_key`), resolves symbolic links, and refuses anything that
would land outside the root. Content is bytes in and out, as on the S3 disk, and
`put`, `put_file`, `store`, `copy` and `move` return the key they wrote, relative
to the root, ready to be passed back to `get`.

Local files live on a dyno's ephemeral disk, not shared with other dynos and lost
on restart: use this disk for scratch work only, never for uploads.
"""

import hashlib
import os
import shutil
import uuid

from masonite.filesystem.drivers import LocalDriver
from masonite.filesystem.File import File

from production_layer.drivers.LocalFileStream import LocalFileStream
from production_layer.drivers.safe_paths import UnsafePath, clean_key, safe_extension

COPY_BUFFER = 1024 * 1024


class SafeLocalDriver(LocalDriver):
    def root(self) -> str:
        return os.path.realpath(self.options["path"])

    def get_path(self, path) -> str:
        """The absolute path of disk path ``path``, which must stay inside the root (symlinks followed)."""
        root = self.root()
        full = os.path.realpath(os.path.join(root, clean_key(path)))
        if os.path.commonpath([root, full]) != root:
            raise UnsafePath(f"{path!r} leads outside the disk")
        return full

    def make_file_path_if_not_exists(self, file_path) -> bool:
        """Create the folders that disk path ``file_path`` needs; True if the file does not exist yet."""
        full = self.get_path(file_path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        return not os.path.isfile(full)

    def _writable(self, file_path) -> str:
        self.make_file_path_if_not_exists(file_path)
        return self.get_path(file_path)

    def put(self, file_path, content) -> str:
        """Write text, bytes or a file object to ``file_path``; returns the key written."""
        with open(self._writable(file_path), "wb") as target:
            write_content(target, content)
        return clean_key(file_path)

    def put_file(self, file_path, content, name=None) -> str:
        """Store an uploaded file inside ``file_path``, named ``name`` or a UUID plus its own extension."""
        file_name = f"{name or uuid.uuid4()}{safe_extension(upload_name(content))}"
        return self.put(f"{file_path}/{file_name}", uploaded_content(content))

    def store(self, file, name=None) -> str:
        """Store an uploaded file at the root, under ``name`` (or a hash of its name) plus its extension.

        Stock Masonite's `UploadedFile.hash_path_name()` raises (it calls its `name` property)."""
        original = upload_name(file)
        base = name or hashlib.sha1(original.encode("utf-8", "surrogatepass")).hexdigest()
        return self.put(f"{base}{safe_extension(original)}", uploaded_content(file))

    def get(self, file_path) -> bytes | None:
        try:
            with open(self.get_path(file_path), "rb") as source:
                return source.read()
        except (FileNotFoundError, IsADirectoryError):
            return None

    def stream(self, file_path) -> LocalFileStream:
        """The open file, read as it is consumed; close it (or use `with`) when done."""
        return LocalFileStream(open(self.get_path(file_path), "rb"), name=clean_key(file_path))

    def exists(self, file_path) -> bool:
        return os.path.exists(self.get_path(file_path))

    def missing(self, file_path) -> bool:
        return not self.exists(file_path)

    def copy(self, from_file_path, to_file_path) -> str:
        shutil.copyfile(self.get_path(from_file_path), self._writable(to_file_path))
        return clean_key(to_file_path)

    def move(self, from_file_path, to_file_path) -> str:
        shutil.move(self.get_path(from_file_path), self._writable(to_file_path))
        return clean_key(to_file_path)

    def prepend(self, file_path, content):
        existing = self.get(file_path) or b""
        self.put(file_path, as_bytes(content) + existing)
        return content

    def append(self, file_path, content):
        with open(self._writable(file_path), "ab") as target:
            target.write(as_bytes(content))
        return content

    def delete(self, file_path) -> bool:
        try:
            os.remove(self.get_path(file_path))
        except FileNotFoundError:
            return False
        return True

    def make_directory(self, directory) -> bool:
        os.makedirs(self.get_path(directory), exist_ok=True)
        return True

    def get_files(self, directory="") -> list[File]:
        """The files directly inside ``directory`` (the root by default), named by their keys."""
        folder = self.get_path(directory) if str(directory).strip("/.\\") else self.root()
        prefix = os.path.relpath(folder, self.root())
        files = []
        for entry in sorted(os.listdir(folder)):
            key = entry if prefix == "." else f"{prefix}/{entry}"
            try:
                is_file = os.path.isfile(self.get_path(key))
            except UnsafePath:  # a symbolic link that leads outside the disk
                continue
            if is_file:
                files.append(File(self.get(key), key))
        return files


def as_bytes(content) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def upload_name(upload) -> str:
    """The uploaded file's own name (a property on uploads, a method on Masonite's File)."""
    name = upload.name() if callable(upload.name) else upload.name
    return str(name or "")


def uploaded_content(upload):
    """What an uploaded file holds: a spooled file object (streamed uploads) or its bytes."""
    return upload.stream() if hasattr(upload, "stream") else upload.get_content()


def write_content(target, content) -> None:
    if hasattr(content, "read"):
        shutil.copyfileobj(content, target, COPY_BUFFER)
    else:
        target.write(as_bytes(content))
