"""The environment the app runs with on Heroku: which config vars, and which of them are secret."""

from __future__ import annotations

import pulumi
from config import HEROKU_KEY_VALUE_STORE, Settings


def app_config_vars(
    settings: Settings,
    bucket_name: pulumi.Input[str],
    region: pulumi.Input[str],
    access_key_id: pulumi.Input[str],
    secret_access_key: pulumi.Input[str],
    app_key: pulumi.Input[str],
    redis_url: pulumi.Input[str] | None,
) -> tuple[dict[str, pulumi.Input[str]], dict[str, pulumi.Input[str]]]:
    """(plain, sensitive) config vars. A var left out is removed from the app by the next `pulumi up`.

    - REDIS_URL only for ElastiCache: the Key-Value Store add-on sets it itself, and
      while it does, Heroku refuses to let anything else write it.
    - WEB_CONCURRENCY only on a managed app, where the stack also sets the dyno size.
    - REDIS_TLS_VERIFY=false only for the Key-Value Store, whose certificate is self-signed;
      the app verifies the certificate of any other Redis (ElastiCache's verifies as it is).
    """
    assert settings.heroku is not None
    plain: dict[str, pulumi.Input[str]] = {
        "S3_BUCKET": bucket_name,
        "AWS_REGION": region,
        "AWS_ACCESS_KEY_ID": access_key_id,
    }
    if settings.heroku.manage_app:
        plain["WEB_CONCURRENCY"] = str(settings.heroku.web.concurrency)
    if settings.redis_provider == HEROKU_KEY_VALUE_STORE:
        plain["REDIS_TLS_VERIFY"] = "false"
    sensitive: dict[str, pulumi.Input[str]] = {"AWS_SECRET_ACCESS_KEY": secret_access_key, "APP_KEY": app_key}
    if settings.app_key_fallbacks:
        sensitive["APP_KEY_FALLBACKS"] = ",".join(settings.app_key_fallbacks)
    if redis_url is not None and settings.elasticache_sets_redis_url:
        sensitive["REDIS_URL"] = redis_url
    return plain, sensitive
