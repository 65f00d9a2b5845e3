"""Security Related Config"""

import os

from config import filesystem
from production_layer.content_security_policy import s3_browser_origin
from production_layer.environment import env_flag, env_int
from production_layer.wsgi_middleware.SecurityHeaders import strict_transport_security

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

# Plain-http requests from Heroku's router are redirected to https on APP_URL's host (when
# APP_URL is set), never to a host the request names.
HTTPS_REDIRECT_URL = os.environ.get("APP_URL", "")

# HTTP Strict Transport Security: browsers use only https for this host for HSTS_MAX_AGE seconds.
# includeSubDomains extends that to every subdomain (on by default: turn it off if the app is on
# a parent domain whose other subdomains still serve plain http). preload (off by default) asks
# browsers' built-in lists to ship the rule for the whole registrable domain once you submit it at
# hstspreload.org: a commitment for the domain and all its subdomains that takes months to undo.
STRICT_TRANSPORT_SECURITY = strict_transport_security(
    max_age=env_int("HSTS_MAX_AGE", 31536000),
    include_subdomains=env_flag("HSTS_INCLUDE_SUBDOMAINS", True),
    preload=env_flag("HSTS_PRELOAD", False),
)
# Sent with every response, error pages and static files included.
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
