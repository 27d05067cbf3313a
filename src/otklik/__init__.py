"""Otklik: answer customer reviews and questions personally, honestly and concretely."""

__version__ = "0.1.0"
