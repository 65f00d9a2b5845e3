"""WSGI middleware: answer HEAD exactly like GET, without the body.

Stock Masonite answers HEAD on a page with 204 (GET says 200), drops the status of
redirects and errors, gives a 500 when the controller returns a Response (a
redirect, such as a download link), and refuses HEAD on `Route.redirect` and
`Route.view` routes. HTTP says HEAD is GET without the body, so here the request
runs as a GET and only the body is dropped: the status and every header
(Content-Length, Location, Set-Cookie...) are the ones GET would get, on every
route, static file, redirect and error page. Controllers and middleware see the
request method as GET; gunicorn's access log still shows HEAD.
"""


class HeadAsGet:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "HEAD":
            return self.app(environ, start_response)
        started = []

        def start(status, headers, exc_info=None):
            started.append(status)
            return start_response(status, headers, exc_info)

        body = self.app({**environ, "REQUEST_METHOD": "GET"}, start)
        try:
            # An application may start its response only once its body is iterated.
            if not started:
                for _ in body:
                    if started:
                        break
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return []
