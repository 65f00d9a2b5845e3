from masonite.middleware import Middleware


class HerokuClientIp(Middleware):
    """Take the client IP from the last X-Forwarded-For entry.

    Heroku's router appends the address it saw to X-Forwarded-For, so the last
    entry is the only one a client cannot forge. Stock `IpMiddleware` trusted
    `Client-IP` and the first entry, which any client can set.
    """

    def before(self, request, response):
        forwarded = request.environ.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        # Masonite internal, pinned by test_request_ip_is_the_private_ip_attribute.
        request._ip = entries[-1] if entries else request.environ.get("REMOTE_ADDR")
        return request

    def after(self, request, response):
        return request
