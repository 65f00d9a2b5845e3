"""Everything the Masonite app needs on Heroku: an uploads bucket, Redis and the app's config vars."""

import naming
import pulumi
import pulumi_aws as aws
from app_key import AppKey
from cache import ElastiCacheRedis, KeyValueStore
from config import load_settings
from heroku import HerokuApp, HerokuConfigVars
from iam import UploadsUser
from storage import UploadsBucket

# Validate the whole configuration before registering anything.
settings = load_settings(pulumi.Config().get, pulumi.get_project(), pulumi.get_stack())
prefix = naming.resource_prefix(settings.project, settings.stack)
tags = naming.tags(settings.project, settings.stack)
region = aws.get_region_output().region

app = HerokuApp("heroku", settings.heroku) if settings.heroku else None
cors_origins = list(settings.storage.cors_origins) or ([app.origin] if app else None)
if cors_origins is None:
    pulumi.log.warn(
        "No corsOrigins and no herokuApp: the bucket gets no CORS rule, so browsers cannot upload to it directly."
    )
bucket = UploadsBucket("uploads", settings.storage, prefix, tags, cors_origins)
user = UploadsUser("uploads", bucket.bucket_name, prefix, tags)

redis_url = None
if settings.elasticache:
    redis = ElastiCacheRedis("cache", settings.elasticache, f"Redis for {settings.project} ({settings.stack})", tags)
    redis_url = redis.redis_url
    if app:
        pulumi.log.warn(
            "ElastiCache is reachable only from inside its VPC: a Heroku app on the Common Runtime cannot "
            "connect to it. Use a Heroku Private Space peered with the VPC, or redisProvider heroku-key-value-store."
        )
elif app:
    KeyValueStore("cache", app.app_id, settings.key_value_store_plan)

if app:
    app_key = AppKey("app-key", settings.app_key)
    HerokuConfigVars(
        "heroku",
        app.app_id,
        plain={"S3_BUCKET": bucket.bucket_name, "AWS_REGION": region, "AWS_ACCESS_KEY_ID": user.access_key_id},
        sensitive={
            "AWS_SECRET_ACCESS_KEY": user.secret_access_key,
            "APP_KEY": app_key.value,
            **({"REDIS_URL": redis_url} if redis_url is not None else {}),
        },
    )
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
if redis_url is not None:
    pulumi.export("redisUrl", redis_url)
