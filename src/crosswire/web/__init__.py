"""The web face: a JSON API and HTML pages over the store, served by ``crosswire serve``."""

from crosswire.web.app import create_app
from crosswire.web.config import WebSettings

__all__ = ["WebSettings", "create_app"]
