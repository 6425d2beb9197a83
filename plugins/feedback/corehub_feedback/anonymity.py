"""The one place that decides which aggregates of anonymous answers may be published.

Two rules, both from the anonymity guarantee:

1. A figure over fewer responses than the threshold is never published.
2. No differencing: the published figures, taken together, must not let anyone
   isolate fewer than ``threshold`` responses by subtracting or intersecting them.

Every figure corehub publishes (a count, a mean, a share of promoters) is a sum over a
set of responses. Whatever one computes from such sums (differences, intersections)
is constant on the *atoms* of the published sets: the groups of responses that belong
to exactly the same published sets. So rule 2 holds exactly when every non-empty atom
holds at least ``threshold`` responses. :func:`publishable` adds candidate sets in the
order given (the whole group first, then its breakdowns) and keeps a set only if the
atoms stay at or above the threshold.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def atom_sizes(sets: Iterable[Collection[Hashable]]) -> list[int]:
    """Sizes of the non-empty atoms of ``sets`` (members grouped by which sets hold them)."""
    frozen = [frozenset(s) for s in sets]
    signatures: Counter[tuple[bool, ...]] = Counter()
    for member in frozenset().union(*frozen):
        signatures[tuple(member in s for s in frozen)] += 1
    return list(signatures.values())


def safe_together(sets: Iterable[Collection[Hashable]], threshold: int) -> bool:
    """True when no combination of ``sets`` isolates between 1 and ``threshold - 1`` members."""
    return all(size >= threshold for size in atom_sizes(sets))


def publishable(candidates: Mapping[K, Collection[Hashable]], threshold: int) -> list[K]:
    """The keys of ``candidates`` whose figures may be published together.

    ``candidates`` maps a figure's key to the responses it covers, most important first
    (the whole group, then each breakdown part). A figure is kept when it covers at least
    ``threshold`` responses and, together with those kept before it, leaves no atom under
    the threshold; otherwise it is suppressed. Empty figures are never published.

    Linear in the number of responses named: the atoms of the figures kept so far are
    kept up to date as each figure is added, and a candidate only looks at the atoms its
    own responses fall in (an atom it does not touch stays as it was).
    """
    if threshold < 1:
        raise ValueError("the threshold must be positive")
    kept: list[K] = []
    atom_of: dict[Hashable, int] = {}
    """Each response covered by a kept figure -> its atom."""
    size: Counter[int] = Counter()
    """Atom -> how many responses it holds."""
    ids = itertools.count()
    for key, covered in candidates.items():
        members = set(covered)
        if len(members) < threshold:
            continue
        inside: Counter[int] = Counter(atom_of[m] for m in members if m in atom_of)
        fresh = len(members) - sum(inside.values())
        if 0 < fresh < threshold:
            continue
        # each atom touched splits into its part inside the figure and the part outside
        if any(0 < n < threshold or 0 < size[atom] - n < threshold for atom, n in inside.items()):
            continue
        kept.append(key)
        split: dict[int | None, int] = {}
        for member in members:
            old = atom_of.get(member)
            if old is not None and inside[old] == size[old]:
                continue  # the whole atom is inside: it stays one atom
            if old not in split:
                split[old] = next(ids)
            atom_of[member] = split[old]
        for old, new in split.items():
            moved = inside[old] if old is not None else fresh
            size[new] = moved
            if old is not None:
                size[old] -= moved
    return kept


def publishable_parts(whole: int, parts: Mapping[K, int], threshold: int) -> tuple[bool, list[K]]:
    """:func:`publishable` for a whole and its breakdown into disjoint parts, from sizes.

    ``whole`` responses, of which ``parts`` (a team's, say) are disjoint shares, in the
    order they are tried. Returns whether the whole may be shown and which parts may: the
    same answer as :func:`publishable` gives for ``{whole, *parts}`` (kept parts are atoms
    of their own; the responses in no kept part form one more), found from the counts
    alone, so a breakdown by 500 teams needs no response ids.
    """
    if threshold < 1:
        raise ValueError("the threshold must be positive")
    if whole < threshold:
        # the whole is not shown: each part stands alone, with the rest of the parts kept
        shown = [key for key, n in parts.items() if n >= threshold]
        return False, shown
    rest = whole
    shown = []
    for key, n in parts.items():
        if n < threshold:
            continue
        if 0 < rest - n < threshold:
            continue
        shown.append(key)
        rest -= n
    return True, shown


def generalise_groups(sizes: Mapping[str, int], threshold: int) -> dict[str, str | None]:
    """Map each group (a team) to itself, or to None ("other") when it is too small.

    Used when an anonymous answer keeps the answerer's team so results can be broken down
    by team: a team smaller than ``threshold`` is stored as "other", and if "other" would
    then hold between 1 and ``threshold - 1`` people, the smallest named teams join it
    too. Every stored value then points to at least ``threshold`` people, never to one.
    """
    named = {group for group, size in sizes.items() if size >= threshold}
    other = sum(size for group, size in sizes.items() if group not in named)
    for group in sorted(named, key=lambda g: (sizes[g], g)):
        if other == 0 or other >= threshold:
            break
        named.discard(group)
        other += sizes[group]
    return {group: (group if group in named else None) for group in sizes}
