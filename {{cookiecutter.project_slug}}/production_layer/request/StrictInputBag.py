"""Request body parsing that refuses what it cannot parse, stays within bounds, and streams file parts.

Stock Masonite's InputBag raises whatever `json.loads` or `multipart` raise (the
client gets a 500 and, worse, the error was written into the previous request's
response), guesses JSON for unknown content types, and reads every uploaded file
into memory. Its `parse_dict` (also run on every query string) has a regular
expression that backtracks exponentially: `?aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa[]=1`
held a worker for minutes. And `?a=1&a[b]=2` was a 500.

Here a body that does not parse is a 400 with a reason, a form has at most
MAX_FORM_FIELDS fields (413), a JSON body at most MAX_JSON_DEPTH levels (400),
file parts stay in the parser's spooled temporary files, and field names are
grouped (`user[name]`, `tags[]`) as stock Masonite groups them, in linear time.
"""

import json
import re
from urllib.parse import parse_qs

import multipart
from masonite.input import InputBag

from production_layer.http_errors import BadRequest, PayloadTooLarge
from production_layer.request.BodyLimits import DEFAULT_LIMITS, BodyLimits, media_type
from production_layer.request.UploadedStream import UploadedStream

# File parts larger than this are spooled to a temporary file instead of memory.
SPOOL_LIMIT = 256 * 1024
# At most this much of a multipart body (its text fields and small files) is held in memory.
MULTIPART_MEMORY_LIMIT = 8 * 1024 * 1024

# `user[name]`: stock Masonite's grouping, which only looks at the first bracket.
_GROUPED = re.compile(r"([^\[]+)\[([^\]]+)\]")
# `users[][name]` once the `[]` are removed. Stock wrote the first group as `(...)*`,
# which backtracks exponentially on a long name without a bracket; `?` matches the same.
_LISTED = re.compile(r"([^\[]+)?\[([^\]]+)\]")


class StrictInputBag(InputBag):
    limits: BodyLimits = DEFAULT_LIMITS

    # Masonite internal, pinned by test_input_bag_load_calls_parse_and_reads_query_string_and_post_data.
    def parse(self, environ):
        self.limits = BodyLimits.of(environ)
        self.query_string = self.query_parse(environ.get("QUERY_STRING", ""))
        content_type = media_type(environ.get("CONTENT_TYPE", ""))
        length = self._content_length(environ)
        if length == 0 and content_type != "multipart/form-data":
            return
        if content_type == "application/json" or content_type.endswith("+json"):
            self.post_data = self._parse_json(self._read(environ, length))
        elif content_type == "application/x-www-form-urlencoded":
            self.post_data = self._parse_urlencoded(self._read(environ, length))
        elif content_type == "multipart/form-data":
            self.post_data = self._parse_multipart(environ)
        else:
            raise BadRequest(
                f"Unsupported Content-Type {content_type or '(none)'!r}: "
                "send application/json, application/x-www-form-urlencoded or multipart/form-data."
            )

    @staticmethod
    def _content_length(environ) -> int | None:
        """The declared length; None for a chunked body (read to its end, within BodySizeLimit)."""
        if not environ.get("CONTENT_LENGTH") and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        raw = environ.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            raise BadRequest("Content-Length is not a number.") from None
        if length < 0:
            raise BadRequest("Content-Length is negative.")
        return length

    @staticmethod
    def _read(environ, length: int | None) -> bytes:
        if length is None:
            return environ["wsgi.input"].read()
        body = environ["wsgi.input"].read(length)
        if len(body) < length:
            raise BadRequest("The request body ended before Content-Length bytes arrived.")
        return body

    def _parse_json(self, body: bytes) -> dict:
        depth_error = f"The JSON body is nested deeper than {self.limits.max_json_depth} levels."
        try:
            payload = json.loads(body.decode("utf-8"))
        except RecursionError:
            raise BadRequest(depth_error) from None
        except (UnicodeDecodeError, ValueError):
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(payload, dict):
            raise BadRequest("The JSON body must be an object.")
        if nesting_exceeds(payload, self.limits.max_json_depth):
            raise BadRequest(depth_error)
        return payload

    def _parse_urlencoded(self, body: bytes) -> dict:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("The form body is not valid UTF-8 form data.") from None
        return self.parse_dict(self._fields(text, "form"))

    def query_parse(self, query_string):
        return self.parse_dict(self._fields(query_string, "query string"))

    def _fields(self, text: str, what: str) -> dict:
        """`a=1&b=2` as parse_qs gives it, refusing more than MAX_FORM_FIELDS fields before parsing."""
        limit = self.limits.max_form_fields
        if text.count("&") >= limit:
            raise PayloadTooLarge(f"The {what} has more than {limit} fields.")
        return parse_qs(text)

    def _parse_multipart(self, environ) -> dict:
        try:
            forms, files = multipart.parse_form_data(
                environ,
                strict=True,
                spool_limit=SPOOL_LIMIT,
                memory_limit=MULTIPART_MEMORY_LIMIT,
                part_limit=self.limits.max_form_fields,
            )
        except multipart.ParserLimitReached as error:
            raise PayloadTooLarge(
                f"The multipart body is over a limit ({error}): at most {self.limits.max_form_fields} parts."
            ) from None
        except multipart.MultipartError as error:
            raise BadRequest(f"The multipart body could not be parsed: {error}") from None
        data = {name: forms.get(name) for name in forms.keys()}
        for name in files.keys():
            data[name] = [UploadedStream.from_part(part) for part in files.getall(name)]
        return self.parse_dict(data)

    def parse_dict(self, dictionary):
        """Group `user[name]=a` as {"user": {"name": "a"}} and `users[][name]=a` as {"users": [{"name": "a"}]},
        as stock Masonite does; `tags[]` keeps its name and every value. A name used both plainly
        and as a group is a 400 (stock raised a TypeError: a 500)."""
        grouped = {}
        for name, value in dictionary.items():
            first = value[0] if isinstance(value, (list, tuple)) and value else value
            if name.endswith("[]"):
                grouped[name] = value
            elif match := _GROUPED.match(name):
                group = grouped.setdefault(match.group(1), {})
                if not isinstance(group, dict):
                    raise BadRequest(f"The field {match.group(1)!r} is sent both as a value and as a group.")
                group[match.group(2)] = first
            else:
                grouped[name] = first
        parsed = {}
        for name, value in grouped.items():
            match = _LISTED.match(name.replace("[]", "")) if "[]" in name else None
            if match and match.group(1):
                items = parsed.setdefault(match.group(1), [])
                if not isinstance(items, list):
                    raise BadRequest(f"The field {match.group(1)!r} is sent both as a value and as a list.")
                items.append({match.group(2): value})
            else:
                parsed[name] = value
        return parsed


def nesting_exceeds(value, limit: int) -> bool:
    """Whether objects and arrays in ``value`` nest more than ``limit`` levels deep (``{}`` is one level)."""
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
