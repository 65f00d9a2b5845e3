"""Build the Content-Security-Policy header from config/security.py's directives.

`s3_browser_origin` finds where browsers send direct uploads: the origin of the
URL boto3 puts in a presigned POST for the bucket, so the policy allows exactly
the endpoint the app hands out (virtual-hosted or path-style, AWS or an
S3-compatible endpoint such as MinIO or moto).
"""

from urllib.parse import urlsplit

# Characters that would end a source or a directive, or split the header.
_FORBIDDEN = (";", ",", "\r", "\n")


class InvalidContentSecurityPolicy(ValueError):
    """A directive or source in config/security.py would produce a broken header."""


def policy_header(directives: dict) -> str:
    """`{"default-src": ["'self'"], ...}` as a header value; empty sources (None, "") are skipped."""
    parts = []
    for directive, sources in directives.items():
        if not directive or any(char in directive for char in (*_FORBIDDEN, " ")):
            raise InvalidContentSecurityPolicy(f"CONTENT_SECURITY_POLICY: {directive!r} is not a directive name")
        if isinstance(sources, str):
            raise InvalidContentSecurityPolicy(
                f"CONTENT_SECURITY_POLICY[{directive!r}] must be a list of sources, not the string {sources!r}"
            )
        kept = []
        for source in sources:
            if not source:
                continue
            if any(char in source for char in _FORBIDDEN):
                raise InvalidContentSecurityPolicy(
                    f"CONTENT_SECURITY_POLICY[{directive!r}]: {source!r} is not a single source"
                )
            if source not in kept:
                kept.append(source)
        parts.append(" ".join([directive, *kept]))
    return "; ".join(parts)


def s3_browser_origin(disk: dict) -> str | None:
    """The origin browsers post presigned uploads to for an S3 disk's options, or None without a bucket.

    Computed offline: boto3 only builds and signs a form, with throwaway credentials.
    """
    if not disk.get("bucket"):
        return None
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3",
        region_name=disk.get("region") or None,
        endpoint_url=disk.get("endpoint_url") or None,
        aws_access_key_id="origin-probe",
        aws_secret_access_key="origin-probe",
        config=Config(signature_version="s3v4"),
    )
    url = urlsplit(client.generate_presigned_post(Bucket=disk["bucket"], Key="origin-probe")["url"])
    return f"{url.scheme}://{url.netloc}"
