"""Cache Config

Every read and write goes to Redis, so all dynos and workers share one cache. Each store
below is its own driver instance: add another (a second Redis, another namespace) and use it
with `Cache.store("name")`.
"""

import os

from production_layer.environment import env_flag

STORES = {
    "default": "redis",
    "redis": {
        "driver": "redis",
        "url": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "namespace": os.environ.get("CACHE_NAMESPACE", "{{ cookiecutter.project_slug }}"),
        "connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "2")),
        "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "2")),
        # rediss:// verifies the server's certificate against the system's CAs and REDIS_TLS_CA_CERT.
        # REDIS_TLS_VERIFY=false turns that off for this store only: Heroku Key-Value Store's
        # certificate is self-signed, so no CA can vouch for it (see README, Security).
        "tls_verify": env_flag("REDIS_TLS_VERIFY", True),
        "tls_ca_certs": os.environ.get("REDIS_TLS_CA_CERT") or None,
    },
}
