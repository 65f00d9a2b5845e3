"""Storage keys never take a directory from a user."""

import pytest
from production_layer.drivers.safe_paths import UnsafePath, clean_key, safe_extension


@pytest.mark.parametrize(
    "path,key",
    [
        ("uploads/a.txt", "uploads/a.txt"),
        ("../../etc/passwd", "etc/passwd"),
        ("/absolute/file", "absolute/file"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("a/./b//c", "a/b/c"),
    ],
)
def test_keys_keep_no_parent_absolute_or_empty_parts(path, key):
    assert clean_key(path) == key


@pytest.mark.parametrize("path", ["", "/", "../..", "a/\x00b"])
def test_paths_that_name_no_file_are_refused(path):
    with pytest.raises(UnsafePath):
        clean_key(path)


@pytest.mark.parametrize(
    "filename,extension",
    [("photo.JPG", ".jpg"), ("archive.tar.gz", ".gz"), ("noext", ""), ("x.<script>", ""), ("../a.png", ".png")],
)
def test_only_short_alphanumeric_extensions_are_kept(filename, extension):
    assert safe_extension(filename) == extension
