"""The analyser's components, one job each, run in order by ``otklik.understand.pipeline``."""

from otklik.understand.components.base import Batch, Component

__all__ = ["Batch", "Component"]
