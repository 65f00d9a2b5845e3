"""HTTP errors whose message is safe to show to the client.

The exception handler renders these with their status and message; any other
exception becomes a generic 500 with no detail.
"""


class HttpError(Exception):
    status = 500
    public_message = "Something went wrong on our side."
    is_http_exception = True

    def __init__(self, message: str | None = None, headers: dict | None = None):
        super().__init__(message or self.public_message)
        self.message = message or self.public_message
        self.headers = headers or {}

    def get_status(self) -> int:
        return self.status

    def get_response(self) -> str:
        return self.message

    def get_headers(self) -> dict:
        return self.headers


class BadRequest(HttpError):
    status = 400
    public_message = "The request could not be understood."


class Forbidden(HttpError):
    status = 403
    public_message = "You are not allowed to do that."


class NotFound(HttpError):
    status = 404
    public_message = "Page not found."


class PayloadTooLarge(HttpError):
    status = 413
    public_message = "The request body is too large."


class TooManyRequests(HttpError):
    status = 429
    public_message = "Too many requests. Please slow down."


class ServiceUnavailable(HttpError):
    status = 503
    public_message = "A service this page depends on is unavailable. Please try again shortly."


class CookieTooLarge(ValueError):
    """A cookie that browsers would silently drop (over 4096 bytes)."""
