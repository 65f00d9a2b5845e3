from production_layer.providers.CachedViewProvider import CachedViewProvider
from production_layer.providers.RedisCacheProvider import RedisCacheProvider
from production_layer.providers.RequestLifecycleProvider import RequestLifecycleProvider
from production_layer.providers.SafeExceptionProvider import SafeExceptionProvider
from production_layer.providers.SafeLoggingProvider import SafeLoggingProvider
from production_layer.providers.SafeStorageProvider import SafeStorageProvider
from production_layer.providers.StaticFilesProvider import StaticFilesProvider

__all__ = [
    "CachedViewProvider",
    "RedisCacheProvider",
    "RequestLifecycleProvider",
    "SafeExceptionProvider",
    "SafeLoggingProvider",
    "SafeStorageProvider",
    "StaticFilesProvider",
]
