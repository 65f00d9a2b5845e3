"""`GET /health`: what Heroku's and any uptime monitor's probes see."""

from tests.servers import free_port, running, web_process


def test_health_is_ok_when_every_dependency_answers(app, browser):
    response = browser.get(f"{app.url}/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"cache": "ok", "storage": "ok", "database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"
    assert not browser.cookies, "a probe never starts a session"


def test_health_names_the_dependency_that_is_down(app_settings, browser):
    nothing_listens_here = f"redis://127.0.0.1:{free_port()}/0"

    with running(web_process({**app_settings, "REDIS_URL": nothing_listens_here})) as app_without_redis:
        response = browser.get(f"{app_without_redis.url}/health")

    assert response.status_code == 503
    assert response.json() == {"status": "failing", "checks": {"cache": "error", "storage": "ok", "database": "ok"}}
