"""The web inbox: items by priority, drafts with their lint findings, approve/reject, insights."""

from otklik.web.app import create_app

__all__ = ["create_app"]
