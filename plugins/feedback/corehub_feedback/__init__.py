"""corehub-feedback: praise, suggestions, concerns, peer and upward feedback, CSAT and eNPS."""

__version__ = "0.1.0"
