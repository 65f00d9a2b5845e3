"""Security Related Config"""

import os

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
