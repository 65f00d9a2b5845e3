"""The production layer: stock Masonite 5 made safe for several Heroku dynos (see README.md)."""

__version__ = "1.0.0"
