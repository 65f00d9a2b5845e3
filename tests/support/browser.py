"""A small HTTP client that keeps its own cookies, as one browser tab would.

`requests` will not send Secure cookies over plain http, and the app marks every
cookie Secure in production; the tests talk plain http to 127.0.0.1, so this
client keeps cookies itself and exposes the raw Set-Cookie headers.
"""

from __future__ import annotations

import re

import requests

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.http = requests.Session()

    def request(self, method: str, path: str, base_url: str | None = None, **kwargs) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.cookies and "Cookie" not in headers:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        response = self.http.request(method, (base_url or self.base_url) + path, headers=headers, **kwargs)
        self.http.cookies.clear()
        for header in set_cookie_headers(response):
            name, value, expired = parse_set_cookie(header)
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def csrf_token(self, path: str = "/uploads", base_url: str | None = None) -> str:
        page = self.get(path, base_url=base_url)
        match = CSRF_META.search(page.text)
        assert match, f"no CSRF token on {path}: {page.status_code}"
        return match.group(1)


def set_cookie_headers(response: requests.Response) -> list[str]:
    return response.raw.headers.getlist("Set-Cookie") if response.raw is not None else []


def parse_set_cookie(header: str) -> tuple[str, str, bool]:
    name, rest = header.split("=", 1)
    value = rest.split(";", 1)[0]
    expires = re.search(r"Expires=([^;]+)", rest, re.IGNORECASE)
    expired = bool(expires) and value == ""
    return name.strip(), value, expired


def cookie_attributes(header: str) -> set[str]:
    return {part.split("=", 1)[0].strip().lower() for part in header.split(";")[1:] if part.strip()}
