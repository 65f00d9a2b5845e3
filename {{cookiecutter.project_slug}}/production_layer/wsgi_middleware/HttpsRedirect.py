"""WSGI middleware: send plain-http visitors to https, on the app's own host.

Heroku's router terminates TLS and says how the client connected in
X-Forwarded-Proto. Only an explicit `http` there is redirected; a request with
no such header (a local run, a test) is served as it is.

- GET and HEAD get a 301; any other method a 308, which browsers follow with
  the same method and body (a 301 turns a POST into a GET and drops the form).
- With APP_URL set, the redirect goes to its host whatever Host header the
  request carried, so a request cannot choose where the app sends people.
  Without it, the request's Host is used if it is a plain host name, else 400.
"""

import re
from urllib.parse import quote, urlsplit

from production_layer.environment import MissingEnvironment

# A host name or IP literal, with an optional port. Labels are separated by mandatory dots, so
# matching is linear in the Host header's length (it is the client's to choose).
_HOST = re.compile(r"^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")
_PATH_SAFE = "/%;:@&=+$,!~*'()-._"


class HttpsRedirect:
    def __init__(self, app, app_url: str | None = None):
        self.app = app
        self.host = canonical_host(app_url)

    def __call__(self, environ, start_response):
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if proto != "http":
            return self.app(environ, start_response)
        host = self.host or environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not _HOST.match(host):
            body = b"Bad Host header."
            start_response(
                "400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
            )
            return [body]
        location = "https://" + host + quote(environ.get("PATH_INFO", "/"), safe=_PATH_SAFE)
        if environ.get("QUERY_STRING"):
            location += "?" + environ["QUERY_STRING"]
        method = environ.get("REQUEST_METHOD", "GET").upper()
        status = "301 Moved Permanently" if method in ("GET", "HEAD") else "308 Permanent Redirect"
        start_response(status, [("Location", location), ("Content-Length", "0")])
        return [b""]


def canonical_host(app_url: str | None) -> str | None:
    """`https://shop.example.com/` -> `shop.example.com`; None when APP_URL is unset.

    The port is kept only from an https URL (an http URL's port is not where https answers).
    """
    if not app_url or not app_url.strip():
        return None
    try:
        parts = urlsplit(app_url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc:
        raise invalid_app_url(app_url)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    if port is not None and parts.scheme == "https" and port != 443:
        host += f":{port}"
    if not _HOST.match(host):
        raise invalid_app_url(app_url)
    return host


def invalid_app_url(app_url: str) -> MissingEnvironment:
    # A URL with credentials in it is not repeated into the logs.
    shown = "a URL with a user name or password" if "@" in app_url else repr(app_url)
    return MissingEnvironment(f"APP_URL must be the app's public URL, such as https://shop.example.com; got {shown}")
