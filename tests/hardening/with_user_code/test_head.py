"""Issue 10, item 11 (HEAD): HEAD answers exactly like GET, without a body, on every route."""

import re

import requests

from tests.support.browser import Browser

# Headers whose value differs between any two requests.
PER_REQUEST = {"date", "set-cookie"}


def upload(target) -> str:
    browser = Browser(target.url)
    token = browser.csrf_token("/uploads")
    stored = browser.post("/uploads", data={"__token": token}, files={"file": ("notes.txt", b"hello", "text/plain")})
    assert stored.status_code == 303, stored.text[:300]
    return re.search(r'href="(/uploads/[^"]+\.txt)"', browser.get("/uploads").text).group(1)


def shape(response: requests.Response) -> dict:
    headers = {name.lower(): value for name, value in response.headers.items() if name.lower() not in PER_REQUEST}
    if "location" in headers:
        # A presigned download URL carries its own signing time: compare where it points.
        headers["location"] = headers["location"].split("?", 1)[0]
    cookies = sorted(h.split("=", 1)[0] for h in response.raw.headers.getlist("Set-Cookie"))
    return {"status": response.status_code, "headers": headers, "cookies": cookies}


def head_problems(target, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        get = requests.get(target.url + path, allow_redirects=False, timeout=10)
        head = requests.head(target.url + path, allow_redirects=False, timeout=10)
        if head.content:
            problems.append(f"HEAD {path} has a body")
        if shape(head) != shape(get):
            problems.append(f"HEAD {path}: {shape(head)} but GET: {shape(get)}")
    return problems


def test_head_answers_like_get_without_a_body_on_every_route(user_app, stock):
    assert head_problems(stock, ["/"]), "stock answers HEAD on a page with 204"
    paths = [
        "/",  # a page
        "/account",  # a page with a session and a CSRF token
        upload(user_app),  # a download link: a redirect to S3
        "/my-account",  # Route.redirect
        "/no-such-page",  # the custom 404 page
        "/users/999999",  # find_or_fail: a 404 from an exception handler
        "/uploads/presign",  # POST only: 405
        "/robots.txt",  # a static file
        "/health",  # answered before routing
    ]
    assert head_problems(user_app, paths) == []
