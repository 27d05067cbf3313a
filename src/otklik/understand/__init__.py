"""Understanding: ordered components that turn Items into Analyses.

Public surface: ``Analyzer`` (load once, analyse batches). Filled in by issue 3.
"""

from otklik.understand.pipeline import Analyzer

__all__ = ["Analyzer"]
