"""crosswire: follow the news across languages."""

__version__ = "0.1.0"
