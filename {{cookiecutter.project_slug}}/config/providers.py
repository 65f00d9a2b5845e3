from masonite.logging import LoggingProvider
from masonite.notification.providers import NotificationProvider
from masonite.providers import (
    AuthenticationProvider,
    AuthorizationProvider,
    BroadcastProvider,
    CacheProvider,
    EventProvider,
    ExceptionProvider,
    HashServiceProvider,
    HelpersProvider,
    MailProvider,
    ORMProvider,
    PresetsProvider,
    QueueProvider,
    RateProvider,
    RouteProvider,
    SessionProvider,
    StorageProvider,
)
from masonite.scheduling.providers import ScheduleProvider
from masonite.validation.providers import ValidationProvider

from app.providers.AppProvider import AppProvider
from app.providers.HttpHardeningProvider import HttpHardeningProvider
from app.providers.ProductionProvider import ProductionProvider
from app.providers.RequestLifecycleProvider import RequestLifecycleProvider
from app.providers.StaticFilesProvider import StaticFilesProvider
from app.providers.ViewProvider import ViewProvider

PROVIDERS = [
    # Replaces FrameworkProvider: a fresh Request, Response and Session per request.
    RequestLifecycleProvider,
    HelpersProvider,
    RateProvider,
    RouteProvider,
    # Keeps compiled templates between requests (stock recompiles them on every render).
    ViewProvider,
    # Replaces WhitenoiseProvider: only the public asset folders are served.
    StaticFilesProvider,
    ExceptionProvider,
    MailProvider,
    NotificationProvider,
    SessionProvider,
    CacheProvider,
    QueueProvider,
    ScheduleProvider,
    EventProvider,
    StorageProvider,
    BroadcastProvider,
    HashServiceProvider,
    AuthenticationProvider,
    AuthorizationProvider,
    ValidationProvider,
    PresetsProvider,
    ORMProvider,
    LoggingProvider,
    # After the stock providers whose drivers and handlers it replaces.
    ProductionProvider,
    AppProvider,
    # Last: wraps every response, static files and error pages included.
    HttpHardeningProvider,
]
