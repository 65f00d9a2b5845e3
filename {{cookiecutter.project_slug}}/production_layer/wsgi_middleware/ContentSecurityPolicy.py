"""WSGI middleware: a Content-Security-Policy header on every page the app serves.

It wraps the whole application, so error pages and static documents get the policy
too, which a Masonite middleware (run only for matched routes) could not do. A
response that already carries its own policy keeps it: a controller can send a
stricter or a nonce-based policy for one page.

With `debug` on (APP_DEBUG), server errors are left without a policy: they are
Masonite's debug page, which is made of inline scripts and styles.
"""

# Responses a browser renders as a document, where the policy applies.
DOCUMENT_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml")
HEADER = "Content-Security-Policy"


class ContentSecurityPolicy:
    def __init__(self, app, policy: str, debug: bool = False):
        self.app = app
        self.policy = policy
        self.debug = debug

    def __call__(self, environ, start_response):
        def start_with_policy(status, headers, exc_info=None):
            if self.applies_to(headers) and not (self.debug and status.startswith("5")):
                headers = [*headers, (HEADER, self.policy)]
            return start_response(status, headers, exc_info)

        return self.app(environ, start_with_policy)

    @staticmethod
    def applies_to(headers: list[tuple[str, str]]) -> bool:
        content_type = ""
        for name, value in headers:
            if name.lower() == HEADER.lower():
                return False
            if name.lower() == "content-type":
                content_type = value.split(";", 1)[0].strip().lower()
        return content_type in DOCUMENT_TYPES
