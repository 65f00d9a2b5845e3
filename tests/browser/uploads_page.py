"""What the browser tests do on the uploads page, in the words of the page."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.support.chromium import Chromium


@dataclass(frozen=True)
class Listed:
    name: str
    href: str
    size: str
    when: str


def make_file(directory: Path, name: str, size: int, seed: int = 12) -> Path:
    """A file of `size` random bytes (not valid UTF-8, so nothing may decode it)."""
    path = directory / name
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def make_sparse_file(directory: Path, name: str, size: int) -> Path:
    """A file that claims `size` bytes without writing them (for files that must never be sent)."""
    path = directory / name
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def open_uploads(page: Chromium, url: str, javascript: bool = True) -> None:
    page.open(url)
    if javascript:
        page.wait_for(lambda: page.js("return document.documentElement.classList.contains('js')"), 10, "uploads.js")


def choose(page: Chromium, path: Path) -> None:
    page.find("#upload-file").send_keys(str(path))


def submit(page: Chromium) -> None:
    page.find("#upload-button").click()


def listed(page: Chromium) -> dict[str, Listed]:
    rows = page.js(
        """return Array.from(document.querySelectorAll('#uploads .upload')).map(function (item) {
             var link = item.querySelector('a');
             return [link.textContent, link.getAttribute('href'),
                     item.querySelector('.upload-size').textContent, item.querySelector('time').textContent];
           });"""
    )
    return {name: Listed(name, href, size, when) for name, href, size, when in rows}


def message(page: Chromium) -> tuple[str, str] | None:
    """(kind, text) of the message the page shows about the last upload, if one is visible."""
    shown = page.js(
        """var shown = Array.from(document.querySelectorAll('.flash')).filter(function (flash) {
             return !flash.hidden && flash.offsetParent !== null && flash.textContent.trim();
           });
           if (!shown.length) return null;
           var flash = shown[shown.length - 1];
           return [flash.classList.contains('error') ? 'error' : flash.classList.contains('success') ? 'success'
                   : 'status', flash.textContent.trim()];"""
    )
    return tuple(shown) if shown else None


def wait_for_message(page: Chromium, timeout: float = 20) -> tuple[str, str]:
    return page.wait_for(lambda: message(page), timeout, "a message on the page")


def mark_page(page: Chromium) -> None:
    """Tag the loaded document; `same_page` then tells whether the browser navigated since."""
    page.js("window.__not_reloaded = true;")


def same_page(page: Chromium) -> bool:
    return bool(page.js("return window.__not_reloaded === true;"))
