"""The fields of a knowledge article a ``--map`` may name (kept apart so help text is cheap)."""

FIELDS = (
    "article_id",
    "title",
    "author",
    "state",
    "locale",
    "labels",
    "created_at",
    "updated_at",
    "reuse",
)
