"""Routers: one per resource."""
