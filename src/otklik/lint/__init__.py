"""The reply linter: checks any reply against the rules by id (R-*, P-*, N-*, Q-*, F-*).

Public surface: ``lint_reply``. Filled in by issue 4.
"""

from otklik.lint.rules import lint_reply

__all__ = ["lint_reply"]
