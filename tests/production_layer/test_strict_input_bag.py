"""Body parsing: bounded in fields and depth, linear in time, grouping names as stock Masonite does."""

from __future__ import annotations

import io
import json

import pytest
from production_layer.http_errors import BadRequest, PayloadTooLarge
from production_layer.request.BodyLimits import ENVIRON_KEY, BodyLimits
from production_layer.request.StrictInputBag import StrictInputBag

LIMITS = BodyLimits(max_form_fields=5, max_json_depth=3)


def parse(body: bytes = b"", content_type: str = "", query: str = "", limits: BodyLimits = LIMITS) -> StrictInputBag:
    environ = {
        "REQUEST_METHOD": "POST",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        ENVIRON_KEY: limits,
    }
    return StrictInputBag().load(environ)


def form(fields: int) -> bytes:
    return "&".join(f"f{n}={n}" for n in range(fields)).encode()


def multipart(parts: int) -> tuple[bytes, str]:
    body = b"".join(f'--b\r\nContent-Disposition: form-data; name="f{n}"\r\n\r\n{n}\r\n'.encode() for n in range(parts))
    return body + b"--b--\r\n", "multipart/form-data; boundary=b"


def nested(depth: int) -> bytes:
    return json.dumps(json.loads('{"a": ' * depth + "1" + "}" * depth)).encode()


def test_a_form_within_the_field_limit_is_parsed():
    assert parse(form(5), "application/x-www-form-urlencoded").all() == {f"f{n}": str(n) for n in range(5)}


def test_a_form_over_the_field_limit_is_refused_before_parsing():
    with pytest.raises(PayloadTooLarge, match="more than 5 fields"):
        parse(form(6), "application/x-www-form-urlencoded")


def test_a_query_string_over_the_field_limit_is_refused():
    with pytest.raises(PayloadTooLarge, match="query string has more than 5 fields"):
        parse(query=form(6).decode())


def test_a_multipart_body_over_the_part_limit_is_refused():
    assert parse(*multipart(5)).all()["f4"] == "4"
    with pytest.raises(PayloadTooLarge, match="at most 5 parts"):
        parse(*multipart(6))


def test_json_within_the_depth_limit_is_parsed_and_deeper_is_refused():
    assert parse(nested(3), "application/json").all() == json.loads(nested(3))
    with pytest.raises(BadRequest, match="nested deeper than 3 levels"):
        parse(nested(4), "application/json")
    with pytest.raises(BadRequest, match="nested deeper than 3 levels"):
        parse(b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json")


def test_arrays_count_as_levels_and_wide_bodies_are_fine():
    assert parse(b'{"a": [[1, 2], [3]]}', "application/json").all() == {"a": [[1, 2], [3]]}
    with pytest.raises(BadRequest, match="nested deeper"):
        parse(b'{"a": [[[1]]]}', "application/json")
    wide = {f"k{n}": list(range(50)) for n in range(200)}
    assert parse(json.dumps(wide).encode(), "application/json").all() == wide


@pytest.mark.parametrize(
    "query,expected",
    [
        ("name=a", {"name": "a"}),
        ("user[name]=a&user[email]=b", {"user": {"name": "a", "email": "b"}}),
        ("tags[]=a&tags[]=b", {"tags[]": ["a", "b"]}),
        ("users[][name]=a", {"users": [{"name": "a"}]}),
        ("a[b]=1&a=2", {"a": "2"}),
    ],
)
def test_names_are_grouped_as_stock_masonite_groups_them(query, expected):
    assert parse(query=query, limits=BodyLimits()).query_string == expected


@pytest.mark.parametrize("query", ["a=1&a[b]=2", "a=1&a[][b]=2"])
def test_a_name_sent_both_plainly_and_as_a_group_is_a_400_not_a_500(query):
    with pytest.raises(BadRequest, match="'a' is sent both"):
        parse(query=query, limits=BodyLimits())


@pytest.mark.parametrize("name", ["a" * 60 + "[]", "a" * 60 + "[]x", "a" * 60 + "[b" * 30 + "[]"])
def test_long_bracketed_names_parse_in_linear_time(name):
    """Stock Masonite's pattern backtracks exponentially here: 60 characters would take centuries."""
    parsed = parse(query=f"{name}=1", limits=BodyLimits()).query_string
    assert list(parsed.values()) in (["1"], [["1"]])
