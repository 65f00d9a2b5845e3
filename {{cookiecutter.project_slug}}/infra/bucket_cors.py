"""The uploads bucket's CORS rule: browsers on the app's origins may send files to it directly.

Plain data without a Pulumi import, so the template's browser tests can give an S3 emulator
the very rule `pulumi up` writes.
"""

from __future__ import annotations

CORS_RULE_ID = "browser-uploads-from-the-app"
CORS_ALLOWED_METHODS = ("GET", "POST", "PUT")
CORS_ALLOWED_HEADERS = ("Content-Type", "Content-MD5", "Content-Disposition", "x-amz-*")
CORS_EXPOSE_HEADERS = ("ETag",)
CORS_MAX_AGE_SECONDS = 600


def uploads_cors_rule(origins) -> dict:
    """The rule for `aws.s3.BucketCorsConfiguration(cors_rules=[...])`; `origins` may be a Pulumi Input."""
    return {
        "id": CORS_RULE_ID,
        "allowed_methods": list(CORS_ALLOWED_METHODS),
        "allowed_origins": origins,
        "allowed_headers": list(CORS_ALLOWED_HEADERS),
        "expose_headers": list(CORS_EXPOSE_HEADERS),
        "max_age_seconds": CORS_MAX_AGE_SECONDS,
    }
