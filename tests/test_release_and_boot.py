"""The Procfile's release command and what the web process does at boot."""

import secrets
import sqlite3
import subprocess

from tests.support.dynos import dyno_environment, procfile_command, run_release
from tests.support.postgres import require_tls
from tests.support.processes import free_port

RELEASE_SETTINGS = {
    "APP_KEY": "k" * 20 + "0123456789abcdef",
    "REDIS_URL": "redis://127.0.0.1:1/0",
    "S3_BUCKET": "b",
    "AWS_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "x",
    "AWS_SECRET_ACCESS_KEY": "y",
}


def test_release_command_migrates_heroku_postgres_over_tls_and_is_safe_to_run_twice(slug, project_bin, postgres):
    require_tls(postgres)
    url = postgres.create_database("release")
    settings = {**RELEASE_SETTINGS, "DATABASE_URL": url}

    first = run_release(slug, project_bin, settings)
    second = run_release(slug, project_bin, settings)  # every deploy runs it, with nothing new to migrate

    assert first.returncode == 0, first.stdout + first.stderr
    assert "Migrated:" in first.stdout and "create_uploads_table" in first.stdout
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Migrated:" not in second.stdout
    tables = {
        row[0]
        for row in postgres.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database="release")
    }
    assert {"users", "migrations", "uploads"} <= tables
    migrations = postgres.execute("SELECT count(*), count(DISTINCT migration) FROM migrations", database="release")
    assert migrations[0][0] == migrations[0][1], "no migration recorded twice"
    sessions = postgres.authorized_connections("release")
    assert sessions and all("SSL enabled" in line for line in sessions), "the release phase connects over TLS"


def test_release_command_creates_an_explicitly_chosen_sqlite_database(slug, project_bin, tmp_path):
    database = tmp_path / "nested" / "release.sqlite3"
    database.parent.mkdir()
    result = run_release(slug, project_bin, {**RELEASE_SETTINGS, "DATABASE_URL": f"sqlite:///{database}"})
    assert result.returncode == 0, result.stdout + result.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "migrations", "uploads"} <= tables


def test_missing_settings_stop_the_web_process_with_one_message_naming_them(slug, project_bin):
    env = dyno_environment(project_bin, {"APP_KEY": "0123456789abcdef" * 4, "AWS_REGION": "us-east-1"}, free_port())
    for name in ("REDIS_URL", "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DATABASE_URL", "APP_DEBUG"):
        env.pop(name, None)
    result = subprocess.run(
        ["bash", "-c", procfile_command(slug, "web")], cwd=slug, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "Missing required" in line]
    assert lines, result.stderr[-2000:]
    for name in ("REDIS_URL", "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DATABASE_URL"):
        assert name in lines[0]
    assert "APP_KEY" not in lines[0].split(":", 1)[1]


def test_the_generated_app_key_format_boots_and_a_weak_key_stops_the_process(slug, project_bin, stack):
    """Which formats are accepted is tested on the package (tests/production_layer/test_app_key.py);
    this checks the boot path: the key reaches the cookie cipher, and a weak one stops the process."""
    from tests.support.app_agent import AppAgent

    roundtrip = (
        "from production_layer.cookies.CookieCipher import CookieCipher\n"
        "cipher = CookieCipher(application.make('keyring'), max_age=60)\n"
        "result = cipher.decrypt('s_user', cipher.encrypt('s_user', 'alice'))\n"
    )
    env = dyno_environment(project_bin, {**stack.settings, "APP_KEY": secrets.token_hex(32)})
    with AppAgent(slug, project_bin / "python", env) as agent:
        assert agent.run(roundtrip) == "alice"
    env = dyno_environment(project_bin, {**stack.settings, "APP_KEY": "a" * 40})
    with AppAgent(slug, project_bin / "python", env) as agent:
        assert agent.boot_error and "APP_KEY" in agent.boot_error and "a" * 40 not in agent.boot_error
