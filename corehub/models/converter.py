"""One cattrs converter for every corehub record, and readable structuring errors.

Records cross three borders: YAML/TOML/CSV written by people, rows in SQLite, and plain
data handed to templates. They all go through :data:`converter`, so a date is always an
ISO string outside Python and a ``datetime.date`` inside.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from corehub.models.text import Text

T = TypeVar("T")


def _structure_date(value: Any, _type: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)")


def _structure_datetime(value: Any, _type: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        result = value
    elif isinstance(value, str):
        try:
            result = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date and time (use ISO 8601)") from None
    else:
        raise ValueError(f"{value!r} is not a date and time")
    return result if result.tzinfo else result.replace(tzinfo=dt.UTC)


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    try:
        return type_(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in type_)
        raise ValueError(f"{value!r} is not one of: {allowed}") from None


def _structure_str(value: Any, _type: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        raise ValueError(f"expected text, got {value!r}")
    return str(value)


def _structure_text(value: Any, _type: Any) -> Any:
    from corehub.models.text import Text

    if isinstance(value, bool) or value is None:
        raise ValueError(f"expected text, got {value!r}")
    if isinstance(value, int | float):
        value = str(value)
    if isinstance(value, dict):
        bad = [k for k, v in value.items() if not isinstance(v, str) or not isinstance(k, str)]
        if bad:
            raise ValueError(f"expected a mapping of language to text, got {value!r}")
    return Text.of(value)


def _structure_int(value: Any, _type: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a whole number, got {value!r}")


def _structure_float(value: Any, _type: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a number, got {value!r}")


def _structure_bool(value: Any, _type: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1", "false", "no", "0"}:
        return value.strip().lower() in {"true", "yes", "1"}
    raise ValueError(f"expected true or false, got {value!r}")


def _is_list_like(type_: Any) -> bool:
    """A list, a set or a tuple of any length (``tuple[str, ...]``) of one kind of item."""
    from typing import get_args, get_origin

    from cattrs.cols import is_any_set, is_sequence

    if type_ in (str, bytes) or not (is_sequence(type_) or is_any_set(type_)):
        return False
    args = get_args(type_)
    return get_origin(type_) is not tuple or (len(args) == 2 and args[1] is Ellipsis)


def _list_like_hook(type_: Any, conv: cattrs.Converter) -> Any:
    """cattrs' own structuring of ``type_``, refusing text and mappings first: iterating
    them would make ``hr = "hr-01"`` the list of its letters, or a mapping its keys."""
    import json
    from collections import abc
    from collections.abc import Callable, Iterable, Mapping
    from typing import get_args, get_origin

    from cattrs.cols import homogenous_tuple_structure_factory, is_any_set, list_structure_factory

    origin, args = get_origin(type_) or type_, get_args(type_)
    item: Any = args[0] if args else Any
    base: Callable[[Any, Any], Any]
    if origin in (list, abc.MutableSequence):
        base = list_structure_factory(type_, conv)
    elif is_any_set(type_):
        items: Any = list[item]
        as_list = list_structure_factory(items, conv)
        made = set if origin in (set, abc.MutableSet) else frozenset

        def base(value: Any, _type: Any) -> Any:
            return made(as_list(value, items))
    else:  # a tuple, or a Sequence: cattrs makes those a tuple
        base = homogenous_tuple_structure_factory(tuple[item, ...], conv)

    of_records = attrs.has(item) or item is dict or get_origin(item) in (dict, Mapping)

    def hook(value: Any, type_: Any) -> Any:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
            if of_records:
                raise ValueError("expected a list of mappings, got a single value")
            if isinstance(value, str):
                written = json.dumps(value, ensure_ascii=False)
                raise ValueError(f"expected a list, got text {value!r} (write [{written}])")
            raise ValueError(f"expected a list, got {value!r}")
        return base(value, type_)

    return hook


def make_converter(*, forbid_extra_keys: bool = True) -> cattrs.Converter:
    """A converter with corehub's rules: ISO dates, strict scalars, unknown keys refused."""
    conv = cattrs.Converter(forbid_extra_keys=forbid_extra_keys)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Text, _structure_text)
    conv.register_unstructure_hook(Text, Text.plain)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    # Dispatch follows the class hierarchy: a StrEnum is a str, but StrEnum is nearer.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_structure_hook(base, _structure_enum)
    conv.register_structure_hook_factory(_is_list_like, _list_like_hook)
    return conv


converter = make_converter()
"""The converter every corehub record goes through (plugins may use it for their own)."""


def describe_structure_error(exc: BaseException, path: str = "") -> list[str]:
    """Turn a cattrs error into lines like ``sections[2].questions[0].scale: missing``."""
    problems: list[str] = []
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            problems.append(f"{_join(path, key)}: unknown key")
        return problems
    if isinstance(exc, ClassValidationError | IterableValidationError | cattrs.BaseValidationError):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", []):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if name is not None:
                    sub_path = _join(path, str(name))
                elif index is not None:
                    sub_path = f"{path}[{index}]"
            problems.extend(describe_structure_error(sub, sub_path))
        return problems
    if isinstance(exc, KeyError):
        return [f"{path or '(top)'}: missing"]
    message = str(exc) or type(exc).__name__
    if isinstance(exc, TypeError) and "argument" in message:
        message = "wrong kind of value"
    return [f"{path or '(top)'}: {message}"]


def _collapse(problems: list[str]) -> list[str]:
    """Text given where a list of mappings belongs fails once per character: say it once."""
    import re

    out: list[str] = []
    seen: set[str] = set()
    for problem in problems:
        path, _, message = problem.partition(": ")
        match = re.fullmatch(r"(.+)\[\d+\]", path)
        if match and re.search(r"'(str|int|float|bool)' object has no attribute", message):
            parent = match.group(1)
            if parent not in seen:
                seen.add(parent)
                out.append(f"{parent}: expected a list of mappings, got a single value")
            continue
        out.append(problem)
    return out


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def structure(data: Any, cls: type[T], *, source: str, conv: cattrs.Converter | None = None) -> T:
    """Structure ``data`` into ``cls`` or raise a ValidationError naming ``source`` and paths."""
    from corehub.errors import ValidationError

    try:
        return (conv or converter).structure(data, cls)
    except (cattrs.BaseValidationError, ForbiddenExtraKeysError, ValueError, TypeError) as exc:
        raise ValidationError(
            f"{source} is not valid:", _collapse(describe_structure_error(exc))
        ) from exc


def structure_salvaged(
    data: Any, cls: type[T], *, conv: cattrs.Converter | None = None, rounds: int = 8
) -> tuple[T | None, list[str]]:
    """Structure ``data``; on failure, also the best record that can be made despite it.

    Returns ``(record, problems)``. ``problems`` lists every structural problem
    (``sections[2].weight: expected a number, got 'x'``). When there are some, ``record`` is
    built from a copy of ``data`` in which each broken value is replaced (its default, or an
    empty value of its type) and each unknown key dropped, so a caller can still check
    meaning and references, and report those problems in the same run; it is None when no
    such record can be made. Problems a caller finds at a path that already has a structural
    problem are noise: :func:`outside` filters them.
    """
    import copy

    conv = conv or converter
    try:
        return conv.structure(data, cls), []
    except (cattrs.BaseValidationError, ForbiddenExtraKeysError, ValueError, TypeError) as exc:
        problems = _collapse(describe_structure_error(exc))
    repaired = copy.deepcopy(data)
    current = problems
    for _ in range(rounds):
        for problem in current:
            path, _, message = problem.partition(": ")
            tokens = _split_path(path)
            unknown = message == "unknown key"
            # A value that is not even the right container (text where a list belongs) is
            # replaced as a whole.
            while tokens and not _repair(repaired, cls, tokens, unknown=unknown):
                tokens, unknown = tokens[:-1], False
            if not tokens:
                return None, problems
        try:
            return conv.structure(repaired, cls), problems
        except (cattrs.BaseValidationError, ForbiddenExtraKeysError, ValueError, TypeError) as exc:
            current = _collapse(describe_structure_error(exc))
        # What a record's own checks find once its broken parts are replaced (an unknown
        # key hid a bad value next to it) is news; what lies under a replaced value is not.
        problems += outside([p for p in current if p not in problems], problems)
    return None, problems


def outside(problems: list[str], broken: list[str]) -> list[str]:
    """``problems`` (``path: text``) that are not at or under a path of ``broken``."""
    paths = [p.partition(": ")[0] for p in broken]

    def under(path: str) -> bool:
        return any(path == b or path.startswith((b + ".", b + "[")) or b == "(top)" for b in paths)

    return [p for p in problems if not under(p.partition(": ")[0])]


def _split_path(path: str) -> list[str | int]:
    import re

    if path in ("", "(top)"):
        return []
    tokens: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        tokens.append(int(index) if index else name)
    return tokens


def _repair(data: Any, cls: Any, path: list[str | int], *, unknown: bool) -> bool:
    """Replace the value at ``path`` in ``data`` by a harmless one; False if impossible."""
    if not path:
        return False
    container, type_ = data, cls
    for token in path[:-1]:
        try:
            container = container[token]
        except (KeyError, IndexError, TypeError):
            return False
        type_ = _child_type(type_, token)
    last = path[-1]
    if unknown:
        if isinstance(container, dict) and last in container:
            del container[last]
            return True
        return False
    field = _attrs_field(type_, last)
    if field is not None and isinstance(container, dict):
        if field.default is not attrs.NOTHING:
            container.pop(last, None)
            return True
        container[last] = _empty(_child_type(type_, last))
        return True
    if (isinstance(container, list) and isinstance(last, int)) or isinstance(container, dict):
        try:
            container[last] = _empty(_child_type(type_, last))  # type: ignore[index]
        except (IndexError, TypeError):
            return False
        return True
    return False


def _attrs_field(cls: Any, name: str | int) -> Any:
    if isinstance(name, str) and attrs.has(cls):
        return next((f for f in attrs.fields(cls) if f.name == name), None)
    return None


def _child_type(type_: Any, token: str | int) -> Any:
    import typing

    if attrs.has(type_) and isinstance(token, str):
        return typing.get_type_hints(type_).get(token, Any)
    args = [a for a in typing.get_args(type_) if a is not type(None)]
    origin = typing.get_origin(type_)
    if origin in (list, tuple, set, frozenset) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    if len(args) == 1:  # X | None
        return _child_type(args[0], token)
    return Any


def _empty(type_: Any) -> Any:
    """An empty value that structures as ``type_`` (checks may then call it empty or wrong)."""
    import typing

    if type(None) in typing.get_args(type_):
        return None
    origin = typing.get_origin(type_) or type_
    if origin in (list, tuple, set, frozenset):
        return []
    if origin is dict or attrs.has(type_):
        return {}
    if isinstance(origin, type) and issubclass(origin, enum.Enum):
        return next(iter(origin)).value
    if origin is bool:
        return False
    if origin in (int, float):
        return 0
    return ""
