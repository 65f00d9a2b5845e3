"""Prepare local services for `make dev`: wait for PostgreSQL, Redis and S3, create the bucket, migrate."""

import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

from dotenv import load_dotenv


def wait_for(url: str, timeout: float = 30.0) -> None:
    parsed = urlparse(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((parsed.hostname, parsed.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout:.0f} s")


def create_bucket() -> None:
    import boto3

    s3 = boto3.client("s3", region_name=os.environ["AWS_REGION"])
    existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
    if os.environ["S3_BUCKET"] not in existing:
        if os.environ["AWS_REGION"] == "us-east-1":
            s3.create_bucket(Bucket=os.environ["S3_BUCKET"])
        else:
            s3.create_bucket(
                Bucket=os.environ["S3_BUCKET"],
                CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_REGION"]},
            )


def main() -> None:
    load_dotenv(".env", override=False)
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        wait_for(os.environ["DATABASE_URL"])
    wait_for(os.environ["REDIS_URL"])
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3")
    if not endpoint:
        sys.exit("AWS_ENDPOINT_URL_S3 is not set: `make dev` runs against a local S3 emulator only.")
    wait_for(endpoint)
    create_bucket()
    subprocess.run([sys.executable, "craft", "migrate", "--force"], check=True)


if __name__ == "__main__":
    main()
