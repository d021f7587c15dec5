"""Papan Admin: the local editing app for village operators (``make admin``)."""
from .app import create_app, main_admin

__all__ = ["create_app", "main_admin"]
