"""Composing replies: the embedded composer, phrase banks, uniqueness memory, optional LLM.

Public surface: ``Composer`` and ``ReplyMemory``. Filled in by issue 4.
"""

from otklik.compose.composer import Composer
from otklik.compose.uniqueness import ReplyMemory

__all__ = ["Composer", "ReplyMemory"]
