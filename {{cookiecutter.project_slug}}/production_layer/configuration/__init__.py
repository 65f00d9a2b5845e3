from production_layer.configuration.CachedConfiguration import CachedConfiguration

__all__ = ["CachedConfiguration"]
