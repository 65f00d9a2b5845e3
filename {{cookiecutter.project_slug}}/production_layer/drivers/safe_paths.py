"""Turn any path into a storage key with no user-controlled directory component."""

import re

_EXTENSION = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


class UnsafePath(ValueError):
    pass


def clean_key(path: str) -> str:
    """Drop `..`, `.`, empty and absolute components; backslashes count as separators."""
    parts = [part for part in str(path).replace("\\", "/").split("/") if part not in ("", ".", "..")]
    if any("\x00" in part for part in parts):
        raise UnsafePath("a storage path must not contain NUL bytes")
    if not parts:
        raise UnsafePath(f"{path!r} does not name a file")
    return "/".join(parts)


def safe_extension(filename: str) -> str:
    """The filename's extension if it is short and alphanumeric, lower-cased; otherwise ''."""
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in name:
        return ""
    extension = "." + name.rsplit(".", 1)[1]
    return extension.lower() if _EXTENSION.match(extension) else ""
