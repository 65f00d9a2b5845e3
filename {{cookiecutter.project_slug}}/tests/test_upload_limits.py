"""Uploads are limited per client across both web processes, and filenames are cleaned
before they are stored or shown.

Heroku's router appends the client's address to X-Forwarded-For, and the app counts each
address apart: each test sends one of its own, so it uses up no other test's limit.
"""

import re

CSRF_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
UPLOAD_LINK = re.compile(r'<a href="/uploads/[^"]+">([^<]+)</a>')


def token_for(browser, app, address: str) -> str:
    page = browser.get(f"{app.url}/uploads", headers={"X-Forwarded-For": address})
    return CSRF_TOKEN.search(page.text).group(1)


def test_a_client_over_the_upload_limit_gets_a_429_with_retry_after(app, other_app, browser):
    address = "203.0.113.10"
    headers = {
        "X-Forwarded-For": address,
        "X-CSRF-TOKEN": token_for(browser, app, address),
        "Accept": "application/json",
    }
    payload = {"filename": "photo.jpg", "content_type": "image/jpeg", "size": 1000}

    first = browser.post(f"{app.url}/uploads/presign", json=payload, headers=headers)
    limit = int(first.headers["X-RateLimit-Limit"])  # UPLOAD_RATE_LIMIT's tightest window
    answers = [first] + [
        browser.post(f"{(app, other_app)[n % 2].url}/uploads/presign", json=payload, headers=headers)
        for n in range(1, limit + 1)
    ]

    assert [answer.status_code for answer in answers] == [200] * limit + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"].startswith(f"Too many requests: at most {limit} per minute.")
    other = {**headers, "X-Forwarded-For": "203.0.113.11"}
    assert browser.post(f"{other_app.url}/uploads/presign", json=payload, headers=other).status_code == 200


def test_filenames_are_cleaned_before_they_are_stored_or_shown(app, browser):
    address = "203.0.113.12"
    token = token_for(browser, app, address)
    # A right-to-left override would show "invoice\u202etxt.exe" as "invoiceexe.txt".
    files = {"file": ("invoice\u202etxt.exe", b"MZ", "application/octet-stream")}
    answer = browser.post(
        f"{app.url}/uploads", data={"__token": token}, files=files, headers={"X-Forwarded-For": address}
    )
    assert answer.status_code == 303

    names = UPLOAD_LINK.findall(browser.get(f"{app.url}/uploads").text)
    assert "invoicetxt.exe" in names
    assert not any("\u202e" in name for name in names)
