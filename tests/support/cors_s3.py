"""moto's S3, answering CORS the way S3 does: from the bucket's own CORS configuration.

moto's server adds `Access-Control-Allow-Origin: *` to every answer (flask-cors) and its
own bucket-rule check ignores methods and headers, so a browser test against it proves
nothing about a bucket's CORS rule. `CorsEnforcingS3` stands in front of moto (started
with MOTO_DISABLE_GLOBAL_CORS) and decides CORS itself, following S3's documented rules
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html):

- a preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered by the
  proxy from the first rule whose AllowedOrigins match the origin, whose AllowedMethods
  hold the requested method and whose AllowedHeaders cover every requested header: 200
  with the CORS headers, else 403 (`CORS is not enabled for this bucket` without rules);
- any other request goes to moto; whatever CORS headers moto adds are dropped, and the
  answer carries CORS headers only if a rule matches its Origin and method.

The rules are read from moto (GetBucketCors) for every CORS request, so the test sets
them with `put_bucket_cors` like `pulumi up` does. A test can also hold direct uploads
part-way (`hold_uploads`) to see the page while a file is on its way.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from botocore.exceptions import ClientError

from tests.support.processes import ManagedProcess, moto_server, s3_client
from tests.support.reverse_proxy import ProxiedRequest, ReverseProxy, running

NOT_ALLOWED = (
    "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request "
    "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
    "resource's CORS spec."
)
NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket."

# How the Pulumi program's rule (aws.s3.BucketCorsConfiguration's snake_case inputs) is named in S3's API.
S3_API_NAMES = {
    "id": "ID",
    "allowed_methods": "AllowedMethods",
    "allowed_origins": "AllowedOrigins",
    "allowed_headers": "AllowedHeaders",
    "expose_headers": "ExposeHeaders",
    "max_age_seconds": "MaxAgeSeconds",
}


def s3_api_rule(pulumi_rule: dict) -> dict:
    """A CORS rule as infra/ gives it to Pulumi, in the shape `put_bucket_cors` takes."""
    unknown = set(pulumi_rule) - set(S3_API_NAMES)
    assert not unknown, f"the CORS rule has fields this test does not know how to send to S3: {unknown}"
    return {S3_API_NAMES[name]: value for name, value in pulumi_rule.items()}


# The rules ---------------------------------------------------------------------------


def _wildcard(pattern: str, ignore_case: bool) -> re.Pattern:
    return re.compile(".*".join(map(re.escape, pattern.split("*"))), re.IGNORECASE if ignore_case else 0)


def origin_allowed(origin: str, allowed_origins: list[str]) -> bool:
    """S3 compares origins as given, with at most one `*` wildcard in a rule's origin."""
    return any(_wildcard(allowed, ignore_case=False).fullmatch(origin) for allowed in allowed_origins)


def header_allowed(header: str, allowed_headers: list[str]) -> bool:
    return any(_wildcard(allowed, ignore_case=True).fullmatch(header) for allowed in allowed_headers)


@dataclass(frozen=True)
class CorsVerdict:
    status: int
    headers: list[tuple[str, str]]
    message: str = ""


def requested_headers(value: str | None) -> list[str]:
    return [name.strip().lower() for name in (value or "").split(",") if name.strip()]


def preflight(rules: list[dict] | None, origin: str, method: str, headers: list[str]) -> CorsVerdict:
    """S3's answer to a preflight from `origin` for `method` with `headers`."""
    if not rules:
        return CorsVerdict(403, [], NOT_ENABLED)
    for rule in rules:
        if (
            origin_allowed(origin, rule.get("AllowedOrigins", []))
            and method in rule.get("AllowedMethods", [])
            and all(header_allowed(header, rule.get("AllowedHeaders", [])) for header in headers)
        ):
            granted = [("Access-Control-Allow-Methods", ", ".join(rule["AllowedMethods"]))]
            if headers:
                granted.append(("Access-Control-Allow-Headers", ", ".join(headers)))
            return CorsVerdict(200, _common_headers(rule, origin) + granted)
    return CorsVerdict(403, [], NOT_ALLOWED)


def actual_request_headers(rules: list[dict] | None, origin: str, method: str) -> list[tuple[str, str]]:
    """The CORS headers S3 adds to the answer of a request from `origin` (none if no rule matches)."""
    for rule in rules or []:
        if origin_allowed(origin, rule.get("AllowedOrigins", [])) and method in rule.get("AllowedMethods", []):
            return _common_headers(rule, origin) + [("Access-Control-Allow-Methods", ", ".join(rule["AllowedMethods"]))]
    return []


def _common_headers(rule: dict, origin: str) -> list[tuple[str, str]]:
    wildcard = "*" in rule.get("AllowedOrigins", [])
    headers = [("Access-Control-Allow-Origin", "*" if wildcard else origin)]
    if not wildcard:
        headers.append(("Access-Control-Allow-Credentials", "true"))
    if rule.get("ExposeHeaders"):
        headers.append(("Access-Control-Expose-Headers", ", ".join(rule["ExposeHeaders"])))
    if rule.get("MaxAgeSeconds") is not None:
        headers.append(("Access-Control-Max-Age", str(rule["MaxAgeSeconds"])))
    headers.append(("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"))
    return headers


# The proxy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class S3Request:
    method: str
    path: str
    origin: str | None
    body_bytes: int
    status: int


class CorsEnforcingS3(ReverseProxy):
    def __init__(self, moto: ManagedProcess):
        # A small receive window: held uploads stop the browser soon (see `hold_uploads`).
        super().__init__("s3-cors", receive_buffer=64 * 1024)
        self.moto = moto
        self.client = s3_client(moto)
        self.lock = threading.Lock()
        self.requests: list[S3Request] = []
        self.held_after: int | None = None
        self.release = threading.Event()
        self.holding = threading.Event()

    def handle(self, request: ProxiedRequest) -> None:
        origin = request.header("Origin")
        body_bytes = request.length
        if request.method == "OPTIONS" and origin and request.header("Access-Control-Request-Method"):
            verdict = preflight(
                self.cors_rules(request.path),
                origin,
                request.header("Access-Control-Request-Method"),
                requested_headers(request.header("Access-Control-Request-Headers")),
            )
            body = _error_document(verdict.message) if verdict.status != 200 else b""
            content_type = [("Content-Type", "application/xml")] if body else []
            request.respond(verdict.status, verdict.headers + content_type, body)
            status = verdict.status
        else:
            status = self.forward(request, self.moto.port)
        with self.lock:
            self.requests.append(S3Request(request.method, request.path, origin, body_bytes, status))

    def response_headers(self, request: ProxiedRequest, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        kept = [(name, value) for name, value in headers if not name.lower().startswith("access-control-")]
        origin = request.header("Origin")
        if not origin:
            return kept
        return kept + actual_request_headers(self.cors_rules(request.path), origin, request.method)

    def cors_rules(self, path: str) -> list[dict] | None:
        bucket = urlsplit(path).path.lstrip("/").split("/", 1)[0]
        try:
            return self.client.get_bucket_cors(Bucket=bucket)["CORSRules"]
        except ClientError:
            return None

    # Holding uploads -------------------------------------------------------------------

    def on_body_chunk(self, request: ProxiedRequest, received: int) -> None:
        if self.held_after is not None and request.method == "POST" and received >= self.held_after:
            self.holding.set()
            self.release.wait(timeout=60)

    @contextlib.contextmanager
    def hold_uploads(self, after_bytes: int) -> Iterator[threading.Event]:
        """Stop reading POST bodies after `after_bytes` until the block ends; yields the 'holding' event."""
        self.release.clear()
        self.holding.clear()
        self.held_after = after_bytes
        try:
            yield self.holding
        finally:
            self.held_after = None
            self.release.set()

    def posts_from(self, origin: str) -> list[S3Request]:
        with self.lock:
            return [r for r in self.requests if r.method == "POST" and r.origin == origin]

    def mark(self) -> int:
        with self.lock:
            return len(self.requests)

    def requests_since(self, mark: int) -> list[S3Request]:
        with self.lock:
            return self.requests[mark:]


def _error_document(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>AccessForbidden</Code><Message>{message}</Message><Method>OPTIONS</Method></Error>"
    ).encode()


@contextlib.contextmanager
def cors_enforcing_s3() -> Iterator[CorsEnforcingS3]:
    """A fresh moto server with its blanket CORS off, behind the CORS-enforcing proxy."""
    with moto_server({"MOTO_DISABLE_GLOBAL_CORS": "true"}) as moto, running(CorsEnforcingS3(moto)) as proxy:
        yield proxy
