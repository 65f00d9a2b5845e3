"""Masonite's HeaderBag, converting each header name once per process.

Stock `HeaderBag.convert_name` turns `HTTP_USER_AGENT` into `User-Agent` with three
regular-expression passes (inflection's `titleize`), for every header of every request:
about a tenth of a simple page's time. The answer only depends on the name, so it is kept
(for a bounded number of names: clients choose header names).
"""

from functools import lru_cache

from masonite.headers import HeaderBag


@lru_cache(maxsize=1024)
def _converted(name: str) -> str:
    return HeaderBag.convert_name(None, name)


# Masonite internal, pinned by test_header_bag_names_every_header_through_convert_name.
class CachedHeaderBag(HeaderBag):
    def convert_name(self, name: str) -> str:
        return _converted(name)
