"""The S3 bucket that holds user uploads, with every safeguard it needs."""

from __future__ import annotations

import json
from collections.abc import Sequence

import naming
import pulumi
import pulumi_aws as aws
import pulumi_random as random
from access_policies import tls_only_bucket_policy_document
from bucket_cors import uploads_cors_rule
from config import StorageSettings

ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7


class UploadsBucket(pulumi.ComponentResource):
    """A private, encrypted, versioned, TLS-only bucket for the app's uploads.

    With ``retain_on_delete`` (the default) ``pulumi destroy`` forgets the bucket
    and its safeguards (public access block, encryption, TLS-only policy...)
    instead of deleting them, so users' uploads survive and stay private.

    With a customer-managed KMS key (`kmsKeyId`), `kms_key_arn` is that key's ARN,
    resolved from whatever form was configured (an alias cannot appear in an IAM
    policy), so that the app's user can be granted the use of it.
    """

    bucket_name: pulumi.Output[str]
    arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        settings: StorageSettings,
        prefix: str,
        tags: dict[str, str],
        cors_origins: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("masonite:storage:UploadsBucket", name, None, opts)
        keep = pulumi.ResourceOptions(parent=self, retain_on_delete=settings.retain_on_delete)

        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=self._physical_name(name, settings, prefix),
            # Only a throwaway stack (retainBucketOnDelete=false) may empty the bucket on destroy.
            force_destroy=not settings.retain_on_delete,
            tags=tags,
            # Bucket names are global: a replacement (a new aws:region) can only reuse the name once the
            # old bucket is gone. A kept bucket is never deleted, so it is replaced create-first and the
            # create fails on the name without losing track of the old bucket (README: "Replacements").
            opts=pulumi.ResourceOptions.merge(
                keep, pulumi.ResourceOptions(delete_before_replace=not settings.retain_on_delete)
            ),
        )
        child = pulumi.ResourceOptions.merge(keep, pulumi.ResourceOptions(depends_on=[bucket]))

        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        )
        public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        self.kms_key_arn = None
        if settings.encryption == "aws:kms" and settings.kms_key_id:
            self.kms_key_arn = aws.kms.get_key_output(
                key_id=settings.kms_key_id, opts=pulumi.InvokeOutputOptions(parent=self)
            ).arn
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            rules=[_encryption_rule(settings.encryption, self.kms_key_arn)],
            opts=child,
        )
        versioning = aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            rules=[
                {
                    "id": "abort-incomplete-multipart-uploads",
                    "status": "Enabled",
                    "filter": {},
                    "abort_incomplete_multipart_upload": {
                        "days_after_initiation": ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS
                    },
                },
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {},
                    "noncurrent_version_expiration": {"noncurrent_days": settings.noncurrent_version_expiration_days},
                    "expiration": {"expired_object_delete_marker": True},
                },
            ],
            # S3 validates noncurrent-version rules against the versioning state.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[versioning])),
        )
        if cors_origins is not None:
            aws.s3.BucketCorsConfiguration(
                f"{name}-cors",
                bucket=bucket.id,
                cors_rules=[uploads_cors_rule(cors_origins)],
                opts=child,
            )
        aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket.id,
            policy=bucket.bucket.apply(lambda bucket_name: json.dumps(tls_only_bucket_policy_document(bucket_name))),
            # Putting a bucket policy races with the public access block otherwise.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[public_access_block])),
        )

        self.bucket_name = bucket.bucket
        self.arn = bucket.arn
        self.register_outputs({"bucket_name": self.bucket_name, "arn": self.arn, "kms_key_arn": self.kms_key_arn})

    def _physical_name(self, name: str, settings: StorageSettings, prefix: str) -> pulumi.Input[str]:
        """The configured bucket name, or `<project>-<stack>-<8 random hex>`."""
        if settings.bucket_name:
            return settings.bucket_name
        suffix = random.RandomId(
            f"{name}-suffix",
            byte_length=naming.BUCKET_SUFFIX_BYTES,
            opts=pulumi.ResourceOptions(parent=self),
        )
        return suffix.hex.apply(lambda hex_suffix: naming.bucket_name(prefix, hex_suffix))


def _encryption_rule(algorithm: str, kms_key_arn: pulumi.Input[str] | None) -> dict:
    """Default encryption; the S3 bucket key (fewer KMS requests) only means something with KMS."""
    if algorithm != "aws:kms":
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": algorithm}}
    return {
        "apply_server_side_encryption_by_default": {"sse_algorithm": algorithm, "kms_master_key_id": kms_key_arn},
        "bucket_key_enabled": True,
    }
