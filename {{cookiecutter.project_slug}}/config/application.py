"""Application Config"""

import os

from production_layer.environment import env_flag, env_int

NAME = os.environ.get("APP_NAME", "{{ cookiecutter.project_name }}")

KEY = os.environ.get("APP_KEY", "")

# Earlier values of APP_KEY, comma-separated, newest first: still accepted for reading
# cookies and signatures, never used to write (README.md, "Rotating APP_KEY").
KEY_FALLBACKS = os.environ.get("APP_KEY_FALLBACKS", "")

# Off unless APP_DEBUG is true, 1, yes or on: the debug page shows source and configuration.
DEBUG = env_flag("APP_DEBUG")

HASHING = {
    "default": "bcrypt",
    "bcrypt": {"rounds": 10},
    "argon2": {"memory": 1024, "threads": 2, "time": 2},
}

APP_URL = os.environ.get("APP_URL", "http://127.0.0.1:8000/")

# Request bodies (production_layer/request/BodyLimits.py): a body over its limit gets a 413
# before it is read or parsed.
# Largest multipart/form-data body (the only kind that carries files), in bytes. Larger files
# go from the browser straight to S3 (presigned POST).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Largest body of any other kind (JSON, urlencoded forms), in bytes.
MAX_BODY_BYTES = env_int("MAX_BODY_BYTES", 1024 * 1024)
# Most fields in a form or query string (and parts in a multipart body): more is a 413.
MAX_FORM_FIELDS = env_int("MAX_FORM_FIELDS", 1000)
# Deepest nesting of objects and arrays in a JSON body: deeper is a 400.
MAX_JSON_DEPTH = env_int("MAX_JSON_DEPTH", 32)

# Largest file a browser may send straight to S3 through /uploads/presign (100 MiB). With the
# upload rate limit (config/rates.py) it bounds what one client can put in the bucket.
MAX_DIRECT_UPLOAD_BYTES = env_int("MAX_DIRECT_UPLOAD_BYTES", 100 * 1024 * 1024)
{%- if cookiecutter.include_example_uploads == "y" %}

# How often an open uploads page fetches the list again, in seconds (0: never, only after an upload).
UPLOADS_REFRESH_SECONDS = env_int("UPLOADS_REFRESH_SECONDS", 15)
{%- endif %}
