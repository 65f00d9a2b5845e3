import secrets

from masonite.middleware import SessionMiddleware as StockSessionMiddleware


class SessionMiddleware(StockSessionMiddleware):
    """Stock session middleware with an unguessable session id.

    The session id doubles as the CSRF token; stock Masonite made it 10 random
    characters from a non-cryptographic generator.
    """

    def before(self, request, response):
        if not request.cookie("SESSID"):
            session_id = secrets.token_urlsafe(32)
            response.cookie("SESSID", session_id)
            request.cookie("SESSID", session_id)
        return super().before(request, response)
