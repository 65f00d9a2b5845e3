"""The JSON policy documents that decide who may touch the uploads bucket.

Pure functions of the bucket name, so that the tests can hand the very same
documents to an IAM emulator and check what they allow and deny.
"""

from __future__ import annotations

OBJECT_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:AbortMultipartUpload",
)
"""What the app does with uploads: read, write (including presigned POST), delete, abandon multipart uploads."""

LIST_ACTION = "s3:ListBucket"

KMS_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")
"""What S3 asks KMS for on the caller's behalf with SSE-KMS: a data key to write, decryption to read
(and to complete a multipart upload)."""


def bucket_arn(bucket_name: str) -> str:
    return f"arn:aws:s3:::{bucket_name}"


def app_user_policy_document(bucket_name: str, kms_key_arn: str | None = None) -> dict:
    """The app's IAM user may handle objects in this bucket and list it, and nothing else.

    No bucket administration (policy, ACL, CORS, deletion) and no other bucket:
    leaked keys can then only reach the uploads they were meant for. With a
    customer-managed KMS key, it may also have S3 use that key (and only through
    S3): without it, every upload and download is denied.
    """
    statements = [
        {
            "Sid": "AppObjects",
            "Effect": "Allow",
            "Action": list(OBJECT_ACTIONS),
            "Resource": f"{bucket_arn(bucket_name)}/*",
        },
        {
            "Sid": "AppListBucket",
            "Effect": "Allow",
            "Action": LIST_ACTION,
            "Resource": bucket_arn(bucket_name),
        },
    ]
    if kms_key_arn:
        statements.append(
            {
                "Sid": "AppUploadsKey",
                "Effect": "Allow",
                "Action": list(KMS_ACTIONS),
                "Resource": kms_key_arn,
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{kms_key_region(kms_key_arn)}.amazonaws.com"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def kms_key_region(kms_key_arn: str) -> str:
    """`us-east-1` in arn:aws:kms:us-east-1:123456789012:key/..."""
    return kms_key_arn.split(":")[3]


def tls_only_bucket_policy_document(bucket_name: str) -> dict:
    """Deny every request to the bucket or its objects that does not use TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn(bucket_name), f"{bucket_arn(bucket_name)}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
