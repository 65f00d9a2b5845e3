"""The database could not be reached or dropped the connection: a 503, not a 500."""

PUBLIC_MESSAGE = "The database is unavailable right now. Please try again shortly."


class DatabaseUnavailable(Exception):
    """Raised for connection failures, a full pool or a connection lost mid-query.

    The exception text (logged) names DATABASE_URL with its password masked; visitors
    only ever see PUBLIC_MESSAGE, with status 503.
    """

    is_http_exception = True

    def get_status(self) -> int:
        return 503

    def get_response(self) -> str:
        return PUBLIC_MESSAGE

    def get_headers(self) -> dict:
        return {"Retry-After": "5"}
