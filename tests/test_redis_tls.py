"""`rediss://` against a server with a self-signed certificate, as Heroku Key-Value Store has."""

import requests

from tests.conftest import app_settings
from tests.support.dynos import web_dyno
from tests.support.tls_proxy import tls_proxy


def test_rediss_url_with_a_self_signed_certificate_works(slug, project_bin, stack):
    with tls_proxy(stack.redis.port) as proxy:
        settings = app_settings(f"rediss://127.0.0.1:{proxy.port}/0", stack.s3, stack.settings["DATABASE_URL"])
        settings["APP_DEBUG"] = "false"
        with web_dyno(slug, project_bin, settings, "web.tls") as dyno:
            health = requests.get(dyno.url + "/health", timeout=10)
            assert health.status_code == 200, health.text
            assert health.json()["checks"]["cache"] == "ok"
            assert requests.get(dyno.url + "/uploads", timeout=10).status_code == 200
        assert proxy.handshakes >= 1, "the app must have connected through TLS"
