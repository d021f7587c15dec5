"""Papan Admin: the editing app for village operators (``make admin``, ``papan admin --server``)."""
from .app import create_app
from .server import main_admin

__all__ = ["create_app", "main_admin"]
