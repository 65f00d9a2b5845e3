"""How much request body the app accepts, by kind, and how far parsing may go.

Only multipart forms carry files, so only they may be as large as MAX_UPLOAD_BYTES;
every other body (JSON, urlencoded forms, anything else) is held to MAX_BODY_BYTES.
Parsing is bounded too: a form has at most MAX_FORM_FIELDS fields and a JSON body
at most MAX_JSON_DEPTH levels of nesting. `BodySizeLimit` (in wsgi.py) enforces the
sizes before the body is read and hands these limits to the parser in the WSGI environ.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from production_layer.environment import MissingEnvironment

ENVIRON_KEY = "production_layer.body_limits"
# Room for multipart boundaries and the other form fields around the largest file.
MULTIPART_OVERHEAD = 64 * 1024
MULTIPART = "multipart/form-data"


def media_type(content_type: str) -> str:
    """`multipart/form-data; boundary=x` -> `multipart/form-data`."""
    return content_type.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class BodyLimits:
    max_upload_bytes: int = 10 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024
    max_form_fields: int = 1000
    max_json_depth: int = 32

    # The setting each limit comes from, for error messages.
    SETTINGS = {
        "max_upload_bytes": "MAX_UPLOAD_BYTES",
        "max_body_bytes": "MAX_BODY_BYTES",
        "max_form_fields": "MAX_FORM_FIELDS",
        "max_json_depth": "MAX_JSON_DEPTH",
    }

    def __post_init__(self):
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise MissingEnvironment(f"{self.SETTINGS[field.name]} must be a positive whole number, got {value!r}")

    @classmethod
    def from_config(cls, config) -> BodyLimits:
        """The limits set in config/application.py (the defaults for any it does not set)."""
        settings = {name: config.get(f"application.{name}") for name in cls.SETTINGS}
        return cls(**{name: value for name, value in settings.items() if value is not None})

    @classmethod
    def of(cls, environ: dict) -> BodyLimits:
        """The limits BodySizeLimit put in this request's environ (the defaults outside wsgi.py)."""
        return environ.get(ENVIRON_KEY) or DEFAULT_LIMITS

    def body_limit(self, content_type: str) -> int:
        """The largest body accepted with this Content-Type, in bytes."""
        if media_type(content_type) == MULTIPART:
            return self.max_upload_bytes + MULTIPART_OVERHEAD
        return self.max_body_bytes


DEFAULT_LIMITS = BodyLimits()
