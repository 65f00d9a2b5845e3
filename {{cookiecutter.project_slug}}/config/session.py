"""Session Config

Sessions live in encrypted cookies, so any dyno can serve any request.
"""

from production_layer.environment import env_flag, env_int, is_debug

DRIVERS = {
    "default": "cookie",
    "cookie": {
        # Cookies older than this are dropped even if they still decrypt.
        "max_age": env_int("SESSION_MAX_AGE", 60 * 60 * 24 * 14),
        "http_only": True,
        # Browsers only send Secure cookies over https: off for local plain-http debugging.
        "secure": env_flag("SESSION_SECURE_COOKIES", default=not is_debug()),
        # Lax keeps the session on inbound links and OAuth returns; Strict would drop it.
        "samesite": "Lax",
        "path": "/",
        # Plain cookies (set by JavaScript, or with response.cookie(..., encrypt=False)) read back
        # with request.cookie(). Names listed here count only when they decrypt under APP_KEY,
        # like the session, CSRF and login cookies always do; a trailing * makes a prefix.
        "encrypted_only": [],
    },
}
