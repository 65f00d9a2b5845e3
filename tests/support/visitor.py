"""A browser behind Heroku's router: each visitor has a client address of its own.

Heroku's router appends the address it saw to X-Forwarded-For, and the app counts rate limits
per address (production_layer/middleware/HerokuClientIp.py). Tests that upload give each
visitor its own address (from 10.0.0.0/8), so no test uses up another's limit.
"""

from __future__ import annotations

import itertools
import re

from tests.support.browser import Browser

_ADDRESSES = (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}" for n in itertools.count(1))


def new_address() -> str:
    return next(_ADDRESSES)


class Visitor(Browser):
    def __init__(self, base_url: str, address: str | None = None, forged: str | None = None):
        super().__init__(base_url)
        self.address = address or new_address()
        self.forged = forged

    @property
    def forwarded_for(self) -> str:
        """What reaches the app: anything the client sent, then the address the router saw."""
        return f"{self.forged}, {self.address}" if self.forged else self.address

    def request(self, method, path, base_url=None, **kwargs):
        kwargs["headers"] = {"X-Forwarded-For": self.forwarded_for, **(kwargs.get("headers") or {})}
        return super().request(method, path, base_url=base_url, **kwargs)

    def form_token(self, path: str) -> str:
        """The CSRF token in a page's form (pages without the meta tag, such as Masonite's scaffolded ones)."""
        page = self.get(path)
        match = re.search(r"name=['\"]__token['\"] value=['\"]([^'\"]+)", page.text)
        assert match, f"no CSRF field on {path}: {page.status_code}"
        return match.group(1)

    def presign(self, token: str, payload: dict, base_url: str | None = None):
        headers = {"X-CSRF-TOKEN": token, "Accept": "application/json"}
        return self.post("/uploads/presign", base_url=base_url, json=payload, headers=headers)

    def presign_raw(self, token: str, body: bytes, base_url: str | None = None):
        """A JSON body as written, e.g. with an escape that json.dumps would not produce."""
        headers = {"X-CSRF-TOKEN": token, "Accept": "application/json", "Content-Type": "application/json"}
        return self.post("/uploads/presign", base_url=base_url, data=body, headers=headers)

    def confirm(self, token: str, key: str, base_url: str | None = None):
        headers = {"X-CSRF-TOKEN": token, "Accept": "application/json"}
        return self.post("/uploads/confirm", base_url=base_url, json={"key": key}, headers=headers)

    def upload(self, token: str, filename: str = "notes.txt", content: bytes = b"hello", base_url: str | None = None):
        files = {"file": (filename, content, "text/plain")}
        return self.post("/uploads", base_url=base_url, data={"__token": token}, files=files)
