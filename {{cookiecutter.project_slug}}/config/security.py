"""Security Related Config"""

import os

from config import filesystem
from production_layer.content_security_policy import s3_browser_origin
from production_layer.environment import env_flag

# Cross-Origin Resource Sharing: API routes only, for the app's own origin by default.
CORS = {
    "paths": ["api/*"],
    "allowed_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
    "allowed_origins": [
        origin.strip()
        for origin in os.environ.get("CORS_ALLOWED_ORIGINS", os.environ.get("APP_URL", "")).split(",")
        if origin.strip()
    ],
    "allowed_headers": ["*"],
    "exposed_headers": [],
    "max_age": None,
    "supports_credentials": False,
}

# Sent with every response, error pages and static files included.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Content-Security-Policy of every HTML page, error pages included
# (production_layer/ContentSecurityPolicy.py). Scripts, styles, images and fonts come from the
# app's own files only: no inline <script>, <style> or style="" attributes, no third-party hosts.
# To allow more, add a source to a directive, e.g. "img-src": [SELF, "https://images.example.com"].
SELF = "'self'"
NONE = "'none'"
# The bucket's S3 endpoint as browsers reach it (AWS or AWS_ENDPOINT_URL_S3): pages may send files
# there directly with a presigned POST. Scripts post it with XMLHttpRequest, so only connect-src
# needs it; forms still post to the app alone.
S3_UPLOADS_ORIGIN = s3_browser_origin(filesystem.DISKS["s3"])
CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF, S3_UPLOADS_ORIGIN],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "object-src": [NONE],
}

# Static files (storage/public) carry no Access-Control-Allow-Origin header unless this is on,
# for instance to serve fonts to pages on another origin through a CDN.
STATIC_FILES_ALLOW_ALL_ORIGINS = env_flag("STATIC_FILES_ALLOW_ALL_ORIGINS")
