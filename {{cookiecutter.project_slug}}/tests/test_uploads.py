"""The example uploads feature: files go to S3 through one dyno and come back through another;
the list shows the uploads recorded in the database."""

import re
from urllib.parse import urlsplit

import requests

CSRF_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
UPLOAD_LINK = re.compile(r'<a href="(/uploads/[^"]+)">([^<]+)</a>')
SUCCESS = re.compile(r'<div class="flash success"[^>]*>([^<]+)</div>')


def upload(browser, app, filename: str, content: bytes, content_type: str):
    form = browser.get(f"{app.url}/uploads")
    token = CSRF_TOKEN.search(form.text).group(1)
    return browser.post(
        f"{app.url}/uploads", data={"__token": token}, files={"file": (filename, content, content_type)}
    )


def listed_uploads(browser, app) -> dict[str, str]:
    """Filename -> download link, as the uploads page lists them."""
    return {name: link for link, name in UPLOAD_LINK.findall(browser.get(f"{app.url}/uploads").text)}


def test_a_file_uploaded_on_one_dyno_downloads_from_another(app, other_app, browser, s3):
    content = bytes(range(256)) * 64  # binary, not valid UTF-8

    response = upload(browser, app, "scan.raw", content, "image/x-raw")
    assert response.status_code == 303
    assert response.headers["Location"] == "/uploads"

    link = listed_uploads(browser, other_app)["scan.raw"]
    redirect = browser.get(f"{other_app.url}{link}")
    assert redirect.status_code == 302  # to a short-lived presigned S3 URL

    download = requests.get(redirect.headers["Location"], timeout=10)
    assert download.status_code == 200
    assert download.content == content

    stored = s3.client().head_object(Bucket=s3.bucket, Key=link.replace("/uploads/", "uploads/", 1))
    assert stored["ContentType"] == "image/x-raw"


def test_the_upload_message_shows_once_on_whichever_dyno_serves_next(app, other_app, browser):
    upload(browser, app, "notes.txt", b"hello", "text/plain")

    assert SUCCESS.findall(browser.get(f"{other_app.url}/uploads").text) == ["Uploaded notes.txt (5 bytes)."]
    assert SUCCESS.findall(browser.get(f"{app.url}/uploads").text) == []


def test_an_upload_without_the_csrf_token_is_refused(app, browser):
    browser.get(f"{app.url}/uploads")

    response = browser.post(f"{app.url}/uploads", files={"file": ("x.txt", b"x", "text/plain")})

    assert response.status_code == 403


def test_the_list_shows_the_recorded_uploads_and_nothing_else_in_the_bucket(app, browser, s3, app_python):
    stray = "uploads/20260101000000-" + "b" * 32 + ".txt"
    s3.client().put_object(Bucket=s3.bucket, Key=stray, Body=b"put in the bucket behind the app's back")

    upload(browser, app, "recorded.txt", b"through the app", "text/plain")

    links = listed_uploads(browser, app)
    assert "recorded.txt" in links
    assert f"/{stray}" not in links.values()
    recorded = app_python(
        "from wsgi import application\n"
        "from app.models.Upload import Upload\n"
        "print([(u.original_name, u.size) for u in Upload.where('original_name', 'recorded.txt').get()])"
    )
    assert recorded.strip() == "[('recorded.txt', 15)]"


def test_the_list_alone_is_served_fresh_for_the_page_to_refresh_itself(app, other_app, browser):
    upload(browser, app, "agenda.txt", b"1. Welcome\n", "text/plain")

    fragment = browser.get(f"{other_app.url}/uploads/recent")

    assert fragment.status_code == 200
    assert fragment.headers["Cache-Control"] == "no-store"
    assert "<html" not in fragment.text
    assert {name for _, name in UPLOAD_LINK.findall(fragment.text)} >= {"agenda.txt"}
    size_and_time = r'11 bytes</span> · <time datetime="[0-9T:-]+Z" title="[^"]+ UTC">just now</time>'
    assert re.search(size_and_time, fragment.text)


def test_the_policy_lets_the_page_send_files_to_the_bucket_and_nowhere_else(app, browser):
    page = browser.get(f"{app.url}/uploads")
    token = CSRF_TOKEN.search(page.text).group(1)
    presigned = browser.post(
        f"{app.url}/uploads/presign",
        json={"filename": "big.bin", "content_type": "application/octet-stream", "size": 20_000_000},
        headers={"X-CSRF-TOKEN": token, "Accept": "application/json"},
    ).json()

    policy = dict(directive.split(" ", 1) for directive in page.headers["Content-Security-Policy"].split("; "))
    bucket = urlsplit(presigned["url"])
    assert policy["connect-src"] == f"'self' {bucket.scheme}://{bucket.netloc}"
    assert policy["form-action"] == "'self'", "the page posts to S3 with XMLHttpRequest, not a form"
