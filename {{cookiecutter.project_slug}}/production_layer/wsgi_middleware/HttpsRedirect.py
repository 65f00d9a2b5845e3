"""WSGI middleware: send plain-http visitors to https.

Heroku's router terminates TLS and says how the client connected in
X-Forwarded-Proto. Only an explicit `http` there is redirected; a request with
no such header (a local run, a test) is served as it is.
"""

from urllib.parse import quote


class HttpsRedirect:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if proto != "http":
            return self.app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        location = "https://" + host + quote(environ.get("PATH_INFO", "/"), safe="/%;:@&=+$,!~*'()-._")
        if environ.get("QUERY_STRING"):
            location += "?" + environ["QUERY_STRING"]
        start_response("301 Moved Permanently", [("Location", location), ("Content-Length", "0")])
        return [b""]
