"""S3's limit on user metadata, checked before a request that S3 would refuse is sent.

S3 keeps user metadata (`x-amz-meta-*`) to 2 KB per object, counted as the UTF-8 bytes of
every key and value. Whether the `x-amz-meta-` prefix counts is not documented, so it is
counted here: a name that passes this check is always accepted by S3.
"""

USER_METADATA_LIMIT = 2048
PREFIX = "x-amz-meta-"


class UserMetadataTooLarge(ValueError):
    def __init__(self, size: int):
        super().__init__(f"user metadata of {size:,} bytes is over S3's limit of {USER_METADATA_LIMIT:,} bytes (2 KB)")
        self.size = size


def user_metadata_size(metadata: dict | None) -> int:
    return sum(
        len((PREFIX + str(key)).encode("utf-8", "surrogatepass")) + len(str(value).encode("utf-8", "surrogatepass"))
        for key, value in (metadata or {}).items()
    )


def check_user_metadata(metadata: dict | None) -> None:
    size = user_metadata_size(metadata)
    if size > USER_METADATA_LIMIT:
        raise UserMetadataTooLarge(size)
