from masonite.configuration import config
from masonite.middleware import (
    ClearDumpsBetweenRequestsMiddleware,
    LoadUserMiddleware,
    ShareErrorsInSessionMiddleware,
)
from masonite.routes import Route
from masonite.storage import StorageCapsule
from masonite.utils.structures import load

from app.middlewares.AuthenticationMiddleware import AuthenticationMiddleware
from app.middlewares.VerifyCsrfToken import VerifyCsrfToken
from production_layer.configuration import CachedConfiguration
from production_layer.keys import bind_app_keys
from production_layer.middleware import HerokuClientIp, SessionMiddleware, ThrottleRequests


class Kernel:
    """The application kernel: middleware, routes and locations.

    It differs from the stock skeleton where stock behaviour is unsafe on Heroku
    (production_layer/README.md has the details): the cookie jar decrypts and
    encrypts cookies, so `EncryptCookies` is left out; maintenance mode (a file on
    one dyno's disk) is left out; and `/health` is answered before routing (wsgi.py).
    """

    http_middleware = [
        ClearDumpsBetweenRequestsMiddleware,
        HerokuClientIp,  # replaces IpMiddleware: the client IP that Heroku's router appended
    ]

    route_middleware = {
        "web": [
            SessionMiddleware,  # stock SessionMiddleware with an unguessable session id
            ShareErrorsInSessionMiddleware,
            LoadUserMiddleware,
            VerifyCsrfToken,
        ],
        "auth": [AuthenticationMiddleware],
        # replaces ThrottleRequestsMiddleware: limits counted atomically in Redis, across every dyno
        "throttle": [ThrottleRequests],
    }

    def __init__(self, app):
        self.application = app

    def register(self):
        self.register_configurations()
        self.register_middleware()
        self.register_routes()
        self.register_database()
        self.register_templates()
        self.register_storage()

    def register_configurations(self):
        self.application.bind("config.location", "config")
        # Masonite's Configuration, with each lookup cached until the configuration changes.
        configuration = CachedConfiguration(self.application)
        configuration.load()
        self.application.bind("config", configuration)
        # `key`, `sign` and the cookie keys, each derived from APP_KEY for its purpose.
        bind_app_keys(self.application)

        self.application.bind("controllers.location", "app/controllers")
        self.application.bind("jobs.location", "app/jobs")
        self.application.bind("mailables.location", "app/mailables")
        self.application.bind("providers.location", "app/providers")
        self.application.bind("listeners.location", "app/listeners")
        self.application.bind("validation.location", "app/validation")
        self.application.bind("tasks.location", "app/tasks")
        self.application.bind("events.location", "app/events")
        self.application.bind("policies.location", "app/policies")
        self.application.bind("notifications.location", "app/notifications")
        self.application.bind("resources.location", "resources")
        self.application.bind("models.location", "app/models")
        self.application.bind("observers.location", "app/observers")
        self.application.bind("commands.location", "app/commands")
        self.application.bind("middlewares.location", "app/middlewares")

    def register_middleware(self):
        self.application.make("middleware").add(self.route_middleware).add(self.http_middleware)

    def register_routes(self):
        Route.set_controller_locations(self.application.make("controllers.location"))
        self.application.bind("routes.location", "routes/web")
        router = self.application.make("router")
        routes = self.application.make("routes.location")
        router.add(Route.group(load(routes, "ROUTES", []), middleware=["web"]))
        self.application.bind("routes.api.location", "routes/api")

    def register_database(self):
        from masoniteorm.query import QueryBuilder

        self.application.bind("builder", QueryBuilder(connection_details=config("database.databases")))
        self.application.bind("migrations.location", "databases/migrations")
        self.application.bind("seeds.location", "databases/seeds")
        self.application.bind("resolver", config("database.db"))

    def register_templates(self):
        self.application.bind("views.location", "templates")

    def register_storage(self):
        storage = StorageCapsule()
        storage.add_storage_assets({"storage/compiled": "static/", "storage/public": "/"})
        self.application.bind("storage_capsule", storage)
