"""Cache Config

Every read and write goes to Redis, so all dynos and workers share one cache.
"""

import os

from production_layer.environment import env_int

STORES = {
    "default": "redis",
    "redis": {
        "driver": "redis",
        "url": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "namespace": os.environ.get("CACHE_NAMESPACE", "{{ cookiecutter.project_slug }}"),
        "timeout": env_int("CACHE_DEFAULT_TTL", 60 * 60 * 24 * 30),
        "connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "2")),
        "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "2")),
    },
}
