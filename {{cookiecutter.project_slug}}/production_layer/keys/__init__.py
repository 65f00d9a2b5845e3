from production_layer.keys.bindings import bind_app_keys
from production_layer.keys.KeyRing import KeyRing
from production_layer.keys.SigningKey import SigningKey

__all__ = ["KeyRing", "SigningKey", "bind_app_keys"]
