"""Upload endpoints are rate-limited per client, across both dynos, with the counts in Redis.

`POST /uploads` and `POST /uploads/presign` share one count, `POST /uploads/confirm` has its
own; over the limit a client gets a 429 with `Retry-After` and a message saying the limit and
the wait, as JSON or as a page. A client is the address Heroku's router appended to
X-Forwarded-For (these tests send one per client, as the router would), or, with the
README's "uploads behind a login" how-to applied, the logged-in user.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections import Counter

import pytest

from tests.conftest import app_settings
from tests.support.dynos import dyno_environment, make_slug, procfile_command, run_release, web_dyno
from tests.support.processes import free_port
from tests.support.visitor import Visitor, new_address

DEFAULT_LIMIT = 30  # the generated project's UPLOAD_RATE_LIMIT default: 30/minute,200/day
PRESIGN = {"filename": "photo.jpg", "content_type": "image/jpeg", "size": 1000}


def unknown_key(number: int) -> str:
    return f"uploads/20260101000000-{number:032x}.txt"


def assert_refused(answer, limit: int, window: str = "minute") -> int:
    """A 429 that says the limit and the wait; returns Retry-After."""
    assert answer.status_code == 429, answer.text[:300]
    retry_after = int(answer.headers["Retry-After"])
    assert 1 <= retry_after <= {"minute": 60, "day": 86400}[window]
    assert answer.headers["X-RateLimit-Limit"] == str(limit)
    assert answer.headers["X-RateLimit-Remaining"] == "0"
    assert int(answer.headers["X-RateLimit-Reset"]) > 0
    message = f"Too many requests: at most {limit} per {window}. Please try again in "
    body = answer.json()["error"] if "json" in answer.headers.get("Content-Type", "") else answer.text
    assert message in body, body[:500]
    return retry_after


def test_a_client_gets_the_limit_across_both_dynos_then_a_429_with_retry_after(stack):
    a, b = stack.dynos
    client = Visitor(a.url, new_address())
    token = client.csrf_token()
    remaining = []
    for number in range(DEFAULT_LIMIT):
        answer = client.presign(token, PRESIGN, base_url=(a, b)[number % 2].url)
        assert answer.status_code == 200, (number, answer.status_code, answer.text[:200])
        remaining.append(int(answer.headers["X-RateLimit-Remaining"]))
    assert remaining == list(range(DEFAULT_LIMIT - 1, -1, -1)), "one count, shared by both dynos"

    json_answer = client.presign(token, PRESIGN, base_url=b.url)
    page = client.upload(token, base_url=a.url)  # the form shares the count with presign
    forged = Visitor(b.url, client.address, forged="203.0.113.99")
    forged.cookies = dict(client.cookies)
    forged_answer = forged.presign(token, PRESIGN)
    other = Visitor(b.url, new_address())

    retry_after = assert_refused(json_answer, DEFAULT_LIMIT)
    assert json_answer.json()["status"] == 429
    assert_refused(page, DEFAULT_LIMIT)
    assert "text/html" in page.headers["Content-Type"]
    assert_refused(forged_answer, DEFAULT_LIMIT)  # an entry the client adds before the router's is ignored
    assert other.presign(other.csrf_token(), PRESIGN).status_code == 200, "another client has a count of its own"
    print(f"\n[upload limit] {DEFAULT_LIMIT} presigns on two dynos, then 429 with Retry-After: {retry_after} s")

    # Confirming is counted apart: a client at its upload limit can still confirm what it sent.
    unconfirmed = client.confirm(token, unknown_key(0), base_url=b.url)
    assert unconfirmed.status_code == 404, unconfirmed.text[:200]


def test_requests_arriving_together_on_both_dynos_never_pass_the_limit(stack):
    address = new_address()
    clients = [Visitor(dyno.url, address) for dyno in stack.dynos]
    tokens = [client.csrf_token() for client in clients]
    statuses = Counter()
    lock = threading.Lock()

    def send(index: int) -> None:
        for _ in range(10):
            status = clients[index % 2].presign(tokens[index % 2], PRESIGN).status_code
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=send, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\n[upload limit] 60 presigns at once from one address on two dynos: {dict(statuses)}")
    assert statuses == {200: DEFAULT_LIMIT, 429: 60 - DEFAULT_LIMIT}


def test_confirmations_have_a_limit_of_their_own(stack):
    a, b = stack.dynos
    client = Visitor(a.url, new_address())
    token = client.csrf_token()
    for number in range(DEFAULT_LIMIT):
        answer = client.confirm(token, unknown_key(number), base_url=(a, b)[number % 2].url)
        assert answer.status_code == 404, (number, answer.status_code)
    assert_refused(client.confirm(token, unknown_key(99), base_url=b.url), DEFAULT_LIMIT)
    assert client.presign(token, PRESIGN).status_code == 200, "uploads are counted apart from confirmations"


def test_a_limit_that_does_not_parse_stops_the_app_at_boot_naming_the_variable(slug, project_bin, stack):
    env = dyno_environment(project_bin, {**stack.settings, "UPLOAD_RATE_LIMIT": "lots/minute"}, free_port())
    result = subprocess.run(
        ["bash", "-c", procfile_command(slug, "web")], cwd=slug, env=env, capture_output=True, text=True, timeout=60
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "UPLOAD_RATE_LIMIT: 'lots/minute' is not a rate limit" in output, output[-2000:]


# The README's how-to: uploads behind a login --------------------------------------------------

MEMBER_LIMIT = 3
ROUTES_BEHIND_A_LOGIN = """from masonite.authentication import Auth
from masonite.routes import Route

ROUTES = [
    Route.get("/", "WelcomeController@show").name("welcome"),
    Route.group(
        [
            Route.get("/uploads", "UploadController@index").name("uploads.index"),
            Route.post("/uploads", "UploadController@store").name("uploads.store").middleware("throttle:uploads"),
            Route.post("/uploads/presign", "UploadController@presign").name("uploads.presign").middleware("throttle:uploads"),
            Route.post("/uploads/confirm", "UploadController@confirm")
            .name("uploads.confirm")
            .middleware("throttle:upload-confirmations"),
            Route.get("/uploads/@token", "UploadController@show").name("uploads.show"),
        ],
        middleware=["auth"],
    ),
    *Auth.routes(),
]
"""


@pytest.fixture(scope="module")
def members(default_project, project_bin, redis, s3, postgres, tmp_path_factory):
    """The project with the README's how-to applied: `python craft auth`, the uploads routes in an
    `auth` group, and a limit of 3 a minute (UPLOAD_RATE_LIMIT) on two dynos."""
    project = make_slug(default_project, tmp_path_factory.mktemp("members") / default_project.name)
    settings = app_settings(
        f"redis://127.0.0.1:{redis.port}/0",
        s3,
        postgres.create_database("members"),
        CACHE_NAMESPACE="members",
        UPLOAD_RATE_LIMIT=f"{MEMBER_LIMIT}/minute",
    )
    scaffold = subprocess.run(
        ["python", "craft", "auth"],
        cwd=project,
        env=dyno_environment(project_bin, settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scaffold.returncode == 0, scaffold.stdout + scaffold.stderr
    (project / "routes" / "web.py").write_text(ROUTES_BEHIND_A_LOGIN)
    release = run_release(project, project_bin, settings)
    assert release.returncode == 0, release.stdout + release.stderr
    with web_dyno(project, project_bin, settings, "web.1") as a, web_dyno(project, project_bin, settings, "web.2") as b:
        yield a, b


def member(dyno, address: str, name: str) -> Visitor:
    """A visitor who registers and logs in (Masonite's scaffolded /register and /login)."""
    visitor = Visitor(dyno.url, address)
    password = "Upl0ad-Limits!2026"
    email = f"{name}@example.com"
    form = {"name": name, "email": email, "password": password, "password_confirmation": password}
    registered = visitor.post("/register", data={**form, "__token": visitor.form_token("/register")})
    assert registered.status_code in (302, 303), registered.text[:300]
    logged_in = visitor.post(
        "/login", data={"username": email, "password": password, "__token": visitor.form_token("/login")}
    )
    assert logged_in.status_code in (302, 303) and "/login" not in logged_in.headers["Location"], logged_in.headers
    return visitor


def test_behind_a_login_visitors_go_to_the_login_page_and_members_can_upload(members):
    a, b = members
    anonymous = Visitor(a.url, new_address())
    page = anonymous.get("/uploads")
    assert page.status_code in (302, 303) and page.headers["Location"].endswith("/login")
    token = anonymous.form_token("/login")
    assert anonymous.upload(token).status_code in (302, 303), "no upload without a login"

    alice = member(a, new_address(), "alice")
    uploaded = alice.upload(alice.csrf_token("/uploads"), base_url=b.url)
    assert uploaded.status_code == 303, uploaded.text[:300]
    assert "notes.txt" in alice.get("/uploads", base_url=b.url).text


def test_behind_a_login_each_member_has_their_own_limit_wherever_they_connect_from(members):
    a, b = members
    office = new_address()
    bob, carol = member(a, office, "bob"), member(b, office, "carol")  # one address, two members
    bob_token, carol_token = bob.csrf_token("/uploads"), carol.csrf_token("/uploads")
    for number in range(MEMBER_LIMIT):
        assert bob.presign(bob_token, PRESIGN, base_url=(a, b)[number % 2].url).status_code == 200
    assert_refused(bob.presign(bob_token, PRESIGN), MEMBER_LIMIT)
    assert carol.presign(carol_token, PRESIGN).status_code == 200, "the other member at the same address is not limited"

    bob.address = new_address()  # the same member, from another network
    assert_refused(bob.presign(bob_token, PRESIGN, base_url=b.url), MEMBER_LIMIT)
    assert re.search(r"at most 3 per minute", bob.presign(bob_token, PRESIGN).json()["error"])
