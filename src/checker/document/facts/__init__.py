"""The facts table: every quantified fact of a report, read once per document (see extract.py)."""
from .extract import FoundFact, extract_facts
from .lexicon import FACT_KINDS, fact_lexicon

__all__ = ["FACT_KINDS", "FoundFact", "extract_facts", "fact_lexicon"]
