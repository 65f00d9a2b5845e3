"""The local disk: Masonite's whole LocalDriver interface, and nothing escapes the root."""

from __future__ import annotations

import hashlib
import inspect
import io
import os

import pytest
from masonite.filesystem import UploadedFile
from masonite.filesystem.drivers import LocalDriver
from production_layer.drivers.safe_paths import UnsafePath
from production_layer.drivers.SafeLocalDriver import SafeLocalDriver
from production_layer.request.UploadedStream import UploadedStream

ESCAPES = ["../outside.txt", "../../outside.txt", "/etc/outside.txt", "..\\outside.txt", "a/../../outside.txt"]


@pytest.fixture
def disk(tmp_path):
    root = tmp_path / "disk"
    root.mkdir()
    return SafeLocalDriver(None).set_options({"path": str(root)})


def outside_files(tmp_path) -> list[str]:
    return sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*") if "disk" not in path.parts)


def test_every_method_of_masonites_local_driver_is_implemented_here():
    stock = {name for name, _ in inspect.getmembers(LocalDriver, inspect.isfunction) if not name.startswith("_")}
    ours = {name for name, value in vars(SafeLocalDriver).items() if callable(value)}
    assert stock - ours == {"get_name", "set_options"}, "only these two are safe as inherited"


def test_content_goes_in_and_out_as_bytes_and_writes_return_the_key(disk):
    assert disk.put("notes/a.txt", "héllo") == "notes/a.txt"
    assert disk.get("notes/a.txt") == "héllo".encode()
    assert disk.put("/notes//b.bin", bytes(range(256))) == "notes/b.bin"
    assert disk.get("notes/b.bin") == bytes(range(256))
    assert disk.put("c.txt", io.BytesIO(b"streamed")) == "c.txt" and disk.get("c.txt") == b"streamed"
    assert disk.get("missing.txt") is None and disk.get("notes") is None


def test_uploads_are_stored_under_generated_or_given_names_with_a_safe_extension(disk):
    upload = UploadedFile("photo.PNG", b"\x89PNG")
    key = disk.put_file("avatars", upload)
    assert key.startswith("avatars/") and key.endswith(".png") and disk.get(key) == b"\x89PNG"
    assert disk.put_file("../avatars", upload, name="../../me") == "avatars/me.png"
    streamed = UploadedStream("report.pdf", "application/pdf", 4, io.BytesIO(b"%PDF"))
    assert disk.store(streamed, name="report") == "report.pdf" and disk.get("report.pdf") == b"%PDF"
    assert disk.store(UploadedFile("x.txt", b"x")) == hashlib.sha1(b"x.txt").hexdigest() + ".txt"


def test_stream_reads_as_it_goes_and_is_a_masonite_file_stream(disk):
    disk.put("big.bin", b"x" * 100_000)
    with disk.stream("big.bin") as stream:
        assert stream.read(10) == b"x" * 10
        assert stream.name() == "big.bin" and stream.extension() == ".bin"
        assert len(stream.read()) == 99_990


def test_copy_move_append_prepend_delete_and_folders(disk):
    disk.put("a.txt", "middle")
    disk.append("a.txt", "-end")
    assert disk.prepend("a.txt", b"start-") == b"start-"
    assert disk.get("a.txt") == b"start-middle-end"
    assert disk.copy("a.txt", "copies/b.txt") == "copies/b.txt" and disk.get("copies/b.txt") == b"start-middle-end"
    assert disk.move("copies/b.txt", "moved/c.txt") == "moved/c.txt"
    assert disk.missing("copies/b.txt") and disk.exists("moved/c.txt")
    assert disk.delete("moved/c.txt") is True and disk.delete("moved/c.txt") is False
    assert disk.make_directory("empty/inner") and os.path.isdir(os.path.join(disk.root(), "empty/inner"))
    disk.put("copies/d.txt", "d")
    assert [(file.name(), file.content) for file in disk.get_files()] == [("a.txt", b"start-middle-end")]
    assert [file.name() for file in disk.get_files("copies")] == ["copies/d.txt"]


def test_reads_create_no_folders(disk):
    assert disk.exists("no/such/file.txt") is False
    assert os.listdir(disk.root()) == []


@pytest.mark.parametrize("path", ESCAPES)
def test_no_path_leaves_the_root(disk, tmp_path, path):
    disk.put(path, "x")
    disk.append(path, "y")
    disk.copy(path, "copies/" + path)
    disk.move(path, "moved/" + path)
    disk.make_directory(path + "-folder")
    disk.make_file_path_if_not_exists("deep/" + path)
    assert outside_files(tmp_path) == []


def test_copy_cannot_read_a_file_outside_the_root(disk, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    with pytest.raises(FileNotFoundError):
        disk.copy(str(secret), "stolen.txt")
    assert disk.get("stolen.txt") is None


def test_a_symbolic_link_out_of_the_root_is_refused(disk, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", os.path.join(disk.root(), "link"))
    for attempt in (lambda: disk.put("link/x.txt", "x"), lambda: disk.get("link/x.txt"), lambda: disk.stream("link")):
        with pytest.raises(UnsafePath, match="outside the disk"):
            attempt()
    assert disk.get_files() == [] and outside_files(tmp_path) == ["elsewhere"]


@pytest.mark.parametrize("path", ["", ".", "..", "a\0b"])
def test_a_path_that_names_no_file_is_refused(disk, path):
    with pytest.raises(UnsafePath):
        disk.put(path, "x")
