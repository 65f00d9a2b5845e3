"""Service providers, in the order they register and boot.

The stock Masonite 5 list, with the stock providers that are unsafe on several dynos
replaced by the production layer's (production_layer/README.md says what each fixes).
"""

from masonite.notification.providers import NotificationProvider
from masonite.providers import (
    AuthenticationProvider,
    AuthorizationProvider,
    BroadcastProvider,
    EventProvider,
    HashServiceProvider,
    HelpersProvider,
    MailProvider,
    ORMProvider,
    PresetsProvider,
    QueueProvider,
    RateProvider,
    RouteProvider,
    SessionProvider,
)
from masonite.scheduling.providers import ScheduleProvider
from masonite.validation.providers import ValidationProvider

from app.providers.AppProvider import AppProvider
from production_layer.providers import (
    CachedViewProvider,
    RedisCacheProvider,
    RequestLifecycleProvider,
    SafeExceptionProvider,
    SafeLoggingProvider,
    SafeStorageProvider,
    StaticFilesProvider,
)

PROVIDERS = [
    RequestLifecycleProvider,  # replaces FrameworkProvider: a fresh request, response and session per request
    HelpersProvider,
    RateProvider,
    RouteProvider,
    CachedViewProvider,  # replaces ViewProvider: compiled templates are kept between requests
    StaticFilesProvider,  # replaces WhitenoiseProvider: only the public asset folders are served
    SafeExceptionProvider,  # replaces ExceptionProvider: no leaks, the right status for every error, debug routes only in debug
    MailProvider,
    NotificationProvider,
    SessionProvider,
    RedisCacheProvider,  # replaces CacheProvider: every cache read goes to Redis
    QueueProvider,
    ScheduleProvider,
    EventProvider,
    SafeStorageProvider,  # replaces StorageProvider: an S3 disk that streams and cleans every path
    BroadcastProvider,
    HashServiceProvider,
    AuthenticationProvider,
    AuthorizationProvider,
    ValidationProvider,
    PresetsProvider,
    ORMProvider,
    SafeLoggingProvider,  # replaces LoggingProvider: exceptions logged once, 5xx only, keys redacted
    AppProvider,
]
