"""The uploads page as people use it: in headless Chromium, against two dynos behind one origin."""

from __future__ import annotations

import contextlib
import re

import pytest
import requests

from tests.browser.conftest import MAX_DIRECT_UPLOAD_BYTES, REFRESH_SECONDS, SCREENSHOTS, phone
from tests.browser.uploads_page import (
    choose,
    listed,
    make_file,
    make_sparse_file,
    mark_page,
    message,
    open_uploads,
    same_page,
    submit,
    wait_for_message,
)
from tests.support.browser import Browser

KIB, MIB = 1024, 1024 * 1024
INLINE_SCRIPT_ATTEMPT = """
var script = document.createElement('script');
script.textContent = 'window.__inline_ran = true;';
document.body.appendChild(script);
"""


def test_the_first_visit_shows_an_empty_list_and_what_the_page_accepts(first_visit):
    assert "No uploads yet" in first_visit.list_text
    assert "Choose a file above" in first_visit.list_text
    # The page says what uploads.js does: up to 256 KB through the app, larger files straight to S3.
    assert first_visit.hint_text == "Up to 16 MB. Files over 256 KB go from your browser straight to S3."
    assert first_visit.problems == []
    assert (SCREENSHOTS / "uploads-empty.png").stat().st_size > 0


@pytest.mark.parametrize("path", ["/", "/uploads", "/no-such-page"])
def test_pages_load_without_console_errors_or_csp_violations(page, browser_stack, path):
    url = browser_stack.origin + path
    page.open(url)
    page.wait_for(lambda: page.js("return document.readyState") == "complete", 10, "the page to load")

    problems = page.problems()
    if path == "/no-such-page":
        # Chromium logs a page's own 404 status; nothing else may show up.
        problems = [problem for problem in problems if not (url in problem and "404" in problem)]
    assert problems == []
    policy = requests.get(url, timeout=10).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert page.js("return getComputedStyle(document.body).fontFamily").startswith("ui-sans-serif"), "app.css loaded"


def test_the_policy_blocks_inline_scripts_and_the_test_sees_it(page, browser_stack):
    """A control for the test above: the policy is enforced and a violation would be reported."""
    open_uploads(page, browser_stack.uploads_url)

    page.js(INLINE_SCRIPT_ATTEMPT)

    assert page.js("return window.__inline_ran === true") is False
    problems = page.problems()
    # Both channels report it: the page's securitypolicyviolation event and the browser console.
    assert any(problem.startswith("CSP violation: script-src") for problem in problems), problems
    assert any(problem.startswith("console SEVERE") and "inline script" in problem for problem in problems), problems


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_a_small_file_uploads_through_the_plain_form(page, browser_stack, tmp_path, javascript):
    name = "team-photo.jpg" if javascript else "floor-plan.png"
    photo = make_file(tmp_path, name, 150 * KIB + 7)
    before = browser_stack.router.mark()

    with page.javascript_off() if not javascript else contextlib.nullcontext():
        open_uploads(page, browser_stack.uploads_url, javascript=javascript)
        expected_hint = (
            "Up to 16 MB. Files over 256 KB go from your browser straight to S3." if javascript else "Up to 256 KB."
        )
        assert page.text("#upload-limits") == expected_hint
        choose(page, photo)
        submit(page)
        assert wait_for_message(page) == ("success", f"Uploaded {name} (150 KB).")

        entry = listed(page)[name]
        assert (entry.size, entry.when) == ("150 KB", "just now")
        posts = [r for r in browser_stack.router.requests_since(before) if r.method == "POST"]
        assert [(r.path, r.status) for r in posts] == [("/uploads", 303)]
        assert posts[0].body_bytes > photo.stat().st_size, "the file went through the app"

        page.find(f'a[href="{entry.href}"]').click()
        assert page.downloaded(name) == photo.read_bytes()
    assert page.problems() == []


def test_a_large_file_goes_from_the_browser_straight_to_s3(page, browser_stack, tmp_path):
    report = make_file(tmp_path, "quarterly-report.pdf", 2 * MIB + 400 * KIB)
    open_uploads(page, browser_stack.uploads_url)
    mark_page(page)
    app_mark, s3_mark = browser_stack.router.mark(), browser_stack.s3.mark()

    choose(page, report)
    assert page.text("#chosen-file") == "quarterly-report.pdf · 2.4 MB"
    submit(page)

    assert wait_for_message(page) == ("success", "Uploaded quarterly-report.pdf (2.4 MB).")
    assert same_page(page), "the page did not reload"
    entry = page.wait_for(lambda: listed(page).get("quarterly-report.pdf"), 10, "the new file in the list")
    assert entry.size == "2.4 MB"
    assert page.find(".upload.is-new a").text == "quarterly-report.pdf"

    to_app = browser_stack.router.requests_since(app_mark)
    assert {(r.method, r.path) for r in to_app if r.method == "POST"} == {
        ("POST", "/uploads/presign"),
        ("POST", "/uploads/confirm"),
    }
    assert max(r.body_bytes for r in to_app) < 2 * KIB, "no file bytes passed through the app"
    to_s3 = [r for r in browser_stack.s3.requests_since(s3_mark) if r.origin == browser_stack.origin]
    assert [(r.method, r.status) for r in to_s3] == [("OPTIONS", 200), ("POST", 204)]
    assert to_s3[1].body_bytes > report.stat().st_size
    key = "uploads/" + entry.href.rsplit("/", 1)[1]
    assert browser_stack.object_bytes(key) == report.read_bytes()

    page.find(f'a[href="{entry.href}"]').click()
    assert page.downloaded("quarterly-report.pdf") == report.read_bytes()
    assert page.problems() == []


def test_progress_is_shown_while_a_large_file_uploads_and_it_can_be_cancelled(page, browser_stack, tmp_path):
    video = make_file(tmp_path, "product-demo.mp4", 12 * MIB)
    open_uploads(page, browser_stack.uploads_url)
    keys_before = browser_stack.object_keys()

    with browser_stack.s3.hold_uploads(after_bytes=1 * MIB) as holding:
        choose(page, video)
        submit(page)
        assert holding.wait(15), "the browser never started sending the file"
        bar = page.wait_for(lambda: _progress(page) if _progress(page)[0] > 0 else None, 10, "progress above 0%")
        page.find("#upload-cancel").click()
    assert wait_for_message(page) == ("status", "Upload of product-demo.mp4 cancelled.")
    percent, numbers, name = bar
    assert 0 < percent < 100 and name == "product-demo.mp4"
    assert re.fullmatch(r"[\d.]+ (KB|MB) of 12 MB · \d{1,2}%( · about \d+ (s|min) left)?", numbers), numbers
    assert page.find("#upload-progress").is_displayed() is False
    assert browser_stack.object_keys() == keys_before

    with browser_stack.s3.hold_uploads(after_bytes=1 * MIB) as holding:
        submit(page)
        assert holding.wait(15)
        page.wait_for(lambda: _progress(page)[0] > 0, 10, "progress above 0%")
        assert page.find("#upload-button").text == "Uploading…"
        page.screenshot(SCREENSHOTS / "uploads-uploading.png")
        with phone(page):
            page.screenshot(SCREENSHOTS / "uploads-uploading-phone.png")
    assert wait_for_message(page, timeout=30) == ("success", "Uploaded product-demo.mp4 (12 MB).")
    assert page.wait_for(lambda: listed(page).get("product-demo.mp4"), 10, "the file in the list").size == "12 MB"
    assert page.problems() == []


def _progress(page) -> tuple[int, str, str]:
    return (
        int(page.js("return document.getElementById('upload-progress-bar').value")),
        page.text("#upload-progress-numbers"),
        page.text("#upload-progress-name"),
    )


def test_the_list_shows_what_another_visitor_uploaded_without_a_reload(page, browser_stack):
    open_uploads(page, browser_stack.uploads_url)
    mark_page(page)
    other = Browser(browser_stack.dynos[1].url)
    token = other.csrf_token()

    answer = other.post(
        "/uploads", data={"__token": token}, files={"file": ("minutes-of-the-meeting.txt", b"Agreed.\n", "text/plain")}
    )
    assert answer.status_code == 303

    entry = page.wait_for(
        lambda: listed(page).get("minutes-of-the-meeting.txt"), REFRESH_SECONDS * 5, "the other visitor's file"
    )
    assert (entry.size, entry.when) == ("8 bytes", "just now")
    assert same_page(page)
    assert message(page) is None, "someone else's upload is no message for this visitor"
    assert page.problems() == []


def test_a_file_dropped_on_the_page_is_chosen(page, browser_stack):
    open_uploads(page, browser_stack.uploads_url)

    dropped = page.js(
        """var zone = document.getElementById('drop-zone'), files = new DataTransfer();
           files.items.add(new File(['hello'], 'notes.txt', {type: 'text/plain'}));
           zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: files, bubbles: true, cancelable: true}));
           var highlighted = zone.classList.contains('is-dragging');
           var drop = new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true});
           zone.dispatchEvent(drop);
           return [highlighted, drop.defaultPrevented, document.getElementById('upload-file').files[0].name];"""
    )

    assert dropped == [True, True, "notes.txt"], "highlighted, kept from the browser, and chosen"
    assert page.text("#chosen-file") == "notes.txt · 5 bytes"
    assert page.problems() == []


def test_a_file_over_the_limit_is_refused_on_the_page_and_nothing_is_sent(page, browser_stack, tmp_path):
    disk_image = make_sparse_file(tmp_path, "disk-image.iso", MAX_DIRECT_UPLOAD_BYTES + MIB)
    open_uploads(page, browser_stack.uploads_url)
    app_mark, s3_mark, keys = browser_stack.router.mark(), browser_stack.s3.mark(), browser_stack.object_keys()

    choose(page, disk_image)
    expected = ("error", "disk-image.iso is 17 MB; the largest file you can upload is 16 MB.")
    assert message(page) == expected, "the error shows as soon as the file is chosen"
    submit(page)

    assert message(page) == expected
    assert page.find("#upload-message").get_attribute("role") == "alert"
    assert "is-invalid" in page.find("#drop-zone").get_attribute("class")
    page.screenshot(SCREENSHOTS / "uploads-error.png")
    with phone(page):
        page.screenshot(SCREENSHOTS / "uploads-error-phone.png")
    assert [r for r in browser_stack.router.requests_since(app_mark) if r.method != "GET"] == []
    assert browser_stack.s3.requests_since(s3_mark) == []
    assert browser_stack.object_keys() == keys
    assert page.problems() == []


def test_the_page_fits_a_phone_screen(page, browser_stack, tmp_path):
    long_name = "scan_2026-11-30_board-meeting-minutes_signed_final-version_0001.pdf"
    visitor = Browser(browser_stack.dynos[0].url)
    visitor.post(
        "/uploads", data={"__token": visitor.csrf_token()}, files={"file": (long_name, b"%PDF-1.7", "application/pdf")}
    )
    with phone(page):
        open_uploads(page, browser_stack.uploads_url)
        layout = page.js(
            """var doc = document.documentElement, button = document.getElementById('upload-button');
               var rect = button.getBoundingClientRect();
               return {overflow: doc.scrollWidth - doc.clientWidth, width: doc.clientWidth,
                       buttonRight: rect.right, buttonHeight: rect.height,
                       fontSize: parseFloat(getComputedStyle(document.body).fontSize)};"""
        )
        assert layout["width"] == 390
        assert layout["overflow"] == 0, "nothing sticks out sideways"
        assert layout["buttonRight"] <= 390 and layout["buttonHeight"] >= 44, "the button is a comfortable target"
        assert layout["fontSize"] >= 16
        assert long_name in listed(page)
        page.screenshot(SCREENSHOTS / "uploads-files-phone.png")
    page.screenshot(SCREENSHOTS / "uploads-files.png")
    assert page.problems() == []


def test_a_page_on_an_origin_the_bucket_does_not_allow_cannot_upload_to_it(page, browser_stack, tmp_path):
    """The bucket's CORS rule is what lets the app's origin upload: a dyno's own address is not in it."""
    report = make_file(tmp_path, "from-elsewhere.pdf", 600 * KIB)
    elsewhere = browser_stack.dynos[0].url
    open_uploads(page, elsewhere + "/uploads")
    s3_mark, keys = browser_stack.s3.mark(), browser_stack.object_keys()

    choose(page, report)
    submit(page)

    kind, text = wait_for_message(page)
    assert kind == "error" and text.startswith("The file could not be sent to storage"), text
    assert [(r.method, r.origin, r.status) for r in browser_stack.s3.requests_since(s3_mark)] == [
        ("OPTIONS", elsewhere, 403)
    ]
    assert browser_stack.object_keys() == keys
    problems = page.problems()
    assert problems and all("CORS policy" in problem or "net::ERR_FAILED" in problem for problem in problems), problems
