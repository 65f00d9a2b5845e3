"""Filesystem Config

Uploads go to S3: a dyno's disk is ephemeral and not shared with other dynos.
"""

import os

from masonite.utils.location import base_path

DISKS = {
    "default": "s3",
    "s3": {
        "driver": "s3",
        "client": os.environ.get("AWS_ACCESS_KEY_ID"),
        "secret": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "bucket": os.environ.get("S3_BUCKET"),
        "region": os.environ.get("AWS_REGION", "{{ cookiecutter.aws_region }}"),
        # An S3-compatible endpoint (MinIO, moto); unset means AWS itself.
        "endpoint_url": os.environ.get("AWS_ENDPOINT_URL_S3") or None,
        "presigned_url_seconds": 300,
        # An upload through the app gives up after this many seconds with a 503, so the answer
        # comes before gunicorn's 15 s worker timeout whatever S3 does.
        "upload_timeout": 10,
    },
    "local": {
        "driver": "file",
        # Never served over HTTP: only storage/public is a static folder.
        "path": base_path("storage/framework/filesystem"),
    },
}
