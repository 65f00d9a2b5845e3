"""Application Config"""

import os

from production_layer.environment import env_flag, env_int

NAME = os.environ.get("APP_NAME", "{{ cookiecutter.project_name }}")

KEY = os.environ.get("APP_KEY", "")

# Off unless APP_DEBUG is true, 1, yes or on: the debug page shows source and configuration.
DEBUG = env_flag("APP_DEBUG")

HASHING = {
    "default": "bcrypt",
    "bcrypt": {"rounds": 10},
    "argon2": {"memory": 1024, "threads": 2, "time": 2},
}

APP_URL = os.environ.get("APP_URL", "http://127.0.0.1:8000/")

# Largest file accepted through the app, in bytes; larger request bodies get a 413 before
# they are read. Larger files go from the browser straight to S3 (presigned POST).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# Largest file a browser may send straight to S3 through /uploads/presign (100 MiB). With the
# upload rate limit (config/rates.py) it bounds what one client can put in the bucket.
MAX_DIRECT_UPLOAD_BYTES = env_int("MAX_DIRECT_UPLOAD_BYTES", 100 * 1024 * 1024)
