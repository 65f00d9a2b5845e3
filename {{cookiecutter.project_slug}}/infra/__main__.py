"""Everything the Masonite app needs on Heroku: an uploads bucket, Redis, the app's config vars and web dynos."""

import naming
import pulumi
import pulumi_aws as aws
from app_env import app_config_vars
from app_key import AppKey
from cache import ElastiCacheRedis, KeyValueStore
from config import check_existing_app, load_settings
from heroku import HerokuApp, HerokuConfigVars, look_up_app
from iam import UploadsUser
from storage import UploadsBucket
from web_process import WebProcess

# Validate the whole configuration, and what Heroku says about the app, before registering anything.
settings = load_settings(pulumi.Config().get, pulumi.get_project(), pulumi.get_stack())
existing = look_up_app(settings.heroku.app_name) if settings.heroku else None
check_existing_app(settings, exists=existing is not None, space=existing.space if existing else None)
prefix = naming.resource_prefix(settings.project, settings.stack)
tags = naming.tags(settings.project, settings.stack)
region = aws.get_region_output().region

app = HerokuApp("heroku", settings.heroku, existing) if settings.heroku else None
cors_origins = list(settings.storage.cors_origins) or ([app.origin] if app else None)
if cors_origins is None:
    pulumi.log.warn(
        "No corsOrigins and no herokuApp: the bucket gets no CORS rule, so browsers cannot upload to it directly."
    )
bucket = UploadsBucket("uploads", settings.storage, prefix, tags, cors_origins)
user = UploadsUser("uploads", bucket.bucket_name, bucket.kms_key_arn, prefix, tags)
redis = (
    ElastiCacheRedis("cache", settings.elasticache, f"Redis for {settings.project} ({settings.stack})", tags)
    if settings.elasticache
    else None
)

if app:
    app_key = AppKey("app-key", settings.app_key)
    plain, sensitive = app_config_vars(
        settings,
        bucket.bucket_name,
        region,
        user.access_key_id,
        user.secret_access_key,
        app_key.value,
        redis.redis_url if redis else None,
    )
    config_vars = HerokuConfigVars("heroku", app.app_id, plain, sensitive)
    if redis is None:
        KeyValueStore(
            "cache", app.app_id, settings.key_value_store_plan, settings.heroku.manage_addons, config_vars.association
        )
    if settings.heroku.manage_app:
        WebProcess("web", app.app_id, settings.heroku, has_build=bool(existing and existing.has_build))
    pulumi.export("herokuAppName", app.name)
    pulumi.export("herokuWebUrl", app.web_url)
    pulumi.export("herokuGitUrl", app.git_url)

pulumi.export("bucketName", bucket.bucket_name)
pulumi.export("bucketArn", bucket.arn)
pulumi.export("region", region)
pulumi.export("iamUserArn", user.user_arn)
pulumi.export("accessKeyId", user.access_key_id)
pulumi.export("secretAccessKey", user.secret_access_key)
pulumi.export("redisProvider", settings.redis_provider)
if redis:
    pulumi.export("redisUrl", redis.redis_url)
