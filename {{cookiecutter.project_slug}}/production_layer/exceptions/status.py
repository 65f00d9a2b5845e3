"""The HTTP status an exception stands for, as the exception handler answers it."""

from masonite.exceptions import InvalidCSRFToken


def http_status(exception: BaseException) -> int:
    """`get_status()` for HTTP-style exceptions (Masonite's, yours, `http_errors`), 403 for a
    CSRF failure, 500 for anything else."""
    if isinstance(exception, InvalidCSRFToken):
        return 403
    if hasattr(exception, "get_status"):
        try:
            return int(exception.get_status())
        except (TypeError, ValueError):
            return 500
    return 500
