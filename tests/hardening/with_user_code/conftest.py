"""One dyno of the generated project with user code added the way a Masonite developer adds it
(tests/support/user_code.py): a login, pages and error pages extending base.html, `Sign`,
`MustVerifyEmail`, an exception handler and listener, plain cookies.

The dyno runs one worker, so consecutive requests reach the same process: what one
request leaves behind is what the next one would see. Its APP_KEY is in the format the
template generates (64 hex characters) and APP_KEY_FALLBACKS holds an older key in
`craft key:generate`'s Fernet format, as after a rotation.
"""

from __future__ import annotations

import secrets

import pytest
from cryptography.fernet import Fernet

from tests.conftest import app_settings
from tests.hardening.conftest import Target, migrate
from tests.support.dynos import make_slug, web_dyno
from tests.support.user_code import CREATE_USER, install_user_code


@pytest.fixture(scope="session")
def app_keys() -> dict[str, str]:
    return {"old": Fernet.generate_key().decode(), "new": secrets.token_hex(32)}


@pytest.fixture(scope="session")
def user_app(default_project, project_bin, redis, s3, postgres, app_keys, tmp_path_factory):
    parent = tmp_path_factory.mktemp("with-user-code")
    project = install_user_code(make_slug(default_project, parent / default_project.name))
    settings = app_settings(
        f"redis://127.0.0.1:{redis.port}/0",
        s3,
        postgres.create_database("user_code"),
        WEB_CONCURRENCY="1",
        CACHE_NAMESPACE="user-code",
        APP_KEY=app_keys["new"],
        APP_KEY_FALLBACKS=app_keys["old"],
    )
    migrate(project, project_bin, settings)
    target = Target("user-app", project, project_bin, settings)
    assert target.run(CREATE_USER) is True
    with web_dyno(project, project_bin, settings, "user-app") as dyno:
        target.dyno = dyno
        yield target
