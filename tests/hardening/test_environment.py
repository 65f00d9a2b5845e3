"""Defect 13: DATABASE_URL ignored, .env over the real environment, SQLite in production."""

import contextlib

from tests.support.baking import PROJECT_TEMPLATE

DATABASE = (
    "databases = application.make('config').get('database.databases')\nresult = dict(databases[databases['default']])\n"
)


def database_url_problems(target) -> list[str]:
    url = "postgres://user:secret@db.example.com:5433/shop"
    connection = target.run(DATABASE, DATABASE_URL=url)
    expected = {"host": "db.example.com", "port": 5433, "database": "shop", "user": "user"}
    problems = [
        f"{name} is {connection.get(name)!r}" for name, value in expected.items() if connection.get(name) != value
    ]
    # The generated project registers its pooled Postgres driver (production_layer/database/).
    if connection.get("driver") not in ("postgres", "pooled_postgres"):
        problems.append(f"driver is {connection.get('driver')!r}")
    if (connection.get("options") or {}).get("sslmode") != "require":
        problems.append("postgres without sslmode=require")
    return problems


def test_database_url_is_honoured_with_tls_for_postgres(app, stock):
    assert database_url_problems(stock), "stock ignores DATABASE_URL"
    assert database_url_problems(app) == []


@contextlib.contextmanager
def env_file(project, text: str):
    path = project / ".env"
    original = path.read_text() if path.exists() else None
    path.write_text((original or "") + "\n" + text)
    try:
        yield
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_text(original)


def env_precedence_problems(target) -> list[str]:
    with env_file(target.project, "S3_BUCKET=from-dotenv\n"):
        bucket = target.run(
            "result = application.make('config').get('filesystem.disks.s3.bucket')", S3_BUCKET="from-environment"
        )
    return [] if bucket == "from-environment" else [f"the bucket came from .env: {bucket}"]


def test_real_environment_variables_win_over_dotenv(app, stock):
    assert env_precedence_problems(stock), "stock loads .env over the environment"
    assert env_precedence_problems(app) == []


def test_dotenv_is_never_deployed():
    slugignore = (PROJECT_TEMPLATE / ".slugignore").read_text().split()
    gitignore = (PROJECT_TEMPLATE / ".gitignore").read_text().split()
    assert "/.env" in slugignore and ".env" in gitignore


def sqlite_in_production_problems(target) -> list[str]:
    problems = []
    with target.agent(APP_DEBUG="", DATABASE_URL="") as agent:
        if not agent.boot_error or "DATABASE_URL" not in agent.boot_error:
            problems.append("production started without a database URL (on SQLite on the dyno's disk)")
    with target.agent(DATABASE_URL="sqlite:////tmp/explicit.sqlite3") as agent:
        if agent.boot_error:
            problems.append(f"an explicit sqlite DATABASE_URL was refused: {agent.boot_error}")
    return problems


def test_production_refuses_sqlite_unless_asked_for_explicitly(app, stock):
    assert sqlite_in_production_problems(stock), "stock quietly uses SQLite on the dyno's disk"
    assert sqlite_in_production_problems(app) == []
