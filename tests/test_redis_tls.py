"""`rediss://` the way the app meets it: Heroku Key-Value Store's self-signed certificate, and
a server whose certificate a private CA signed. Certificates are verified unless the setting
says otherwise, and the setting covers REDIS_URL's store alone."""

import contextlib

import requests

from tests.conftest import app_settings
from tests.support.dynos import web_dyno
from tests.support.tls_proxy import tls_proxy


@contextlib.contextmanager
def tls_dyno(stack, signed_by_ca=False, **settings):
    """A dyno of the stack's app whose REDIS_URL is a TLS proxy in front of its Redis; yields (dyno, proxy)."""
    with tls_proxy(stack.redis.port, signed_by_ca=signed_by_ca) as proxy:
        environment = app_settings(
            f"rediss://127.0.0.1:{proxy.port}/0",
            stack.s3,
            stack.settings["DATABASE_URL"],
            WEB_CONCURRENCY="1",
            **settings,
        )
        if signed_by_ca:
            environment["REDIS_TLS_CA_CERT"] = proxy.ca_pem
        with web_dyno(stack.project, stack.bin_dir, environment, "web.tls") as dyno:
            yield dyno, proxy


def cache_check(dyno) -> tuple[int, str]:
    health = requests.get(dyno.url + "/health", timeout=10)
    return health.status_code, health.json()["checks"]["cache"]


def test_a_self_signed_certificate_is_refused_by_default(stack):
    with tls_dyno(stack) as (dyno, proxy):
        assert cache_check(dyno) == (503, "error")
    assert proxy.handshakes == 0, "the app must not have finished a TLS handshake with an unverified server"


def test_redis_tls_verify_false_accepts_heroku_key_value_stores_self_signed_certificate(stack):
    with tls_dyno(stack, REDIS_TLS_VERIFY="false") as (dyno, proxy):
        assert cache_check(dyno) == (200, "ok")
        assert requests.get(dyno.url + "/uploads", timeout=10).status_code == 200
    assert proxy.handshakes >= 1, "the app must have connected through TLS"


def test_a_certificate_signed_by_the_ca_in_redis_tls_ca_cert_is_verified_and_accepted(stack):
    with tls_dyno(stack, signed_by_ca=True) as (dyno, proxy):
        assert cache_check(dyno) == (200, "ok")
    assert proxy.handshakes >= 1
