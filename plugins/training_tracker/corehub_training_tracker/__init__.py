"""corehub training tracker: catalogue, assignments, recertification and compliance."""

__version__ = "0.1.0"
