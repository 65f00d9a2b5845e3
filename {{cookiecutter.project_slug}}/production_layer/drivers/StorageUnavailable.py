"""S3 could not do what was asked: a 503 the visitor can retry, never a 500."""

from production_layer.http_errors import ServiceUnavailable

PUBLIC_MESSAGE = "File storage is unavailable right now. Please try again shortly."


class StorageUnavailable(ServiceUnavailable):
    """Raised by the S3 disk for any failure of S3 or of the network on the way to it.

    The cause (a botocore, urllib3 or socket error) is chained for the logs; visitors
    only ever see PUBLIC_MESSAGE, with status 503.
    """

    public_message = PUBLIC_MESSAGE

    def __init__(self, operation: str):
        super().__init__(PUBLIC_MESSAGE, headers={"Retry-After": "5"})
        self.operation = operation

    def __str__(self) -> str:
        cause = self.__cause__
        detail = f"{type(cause).__name__}: {cause}" if cause is not None else "no detail"
        return f"S3 {self.operation} failed ({detail})"
