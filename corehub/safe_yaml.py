"""Reading YAML that people and other systems wrote: forms, courses, fill-in files.

Every YAML file corehub or a plugin reads goes through :func:`load_yaml`. Beyond what
``yaml.safe_load`` refuses (Python objects), it refuses within a fraction of a second
what could exhaust time or memory:

- a document larger than :data:`MAX_BYTES` (checked before parsing), or of more than
  :data:`MAX_NODES` values;
- nesting deeper than :data:`MAX_DEPTH`;
- an impossible date (``2027-02-30``), which PyYAML would crash on;
- more than :data:`MAX_ALIASES` aliases (``*name``), an alias that refers to itself, or
  aliases that would expand to more than :data:`MAX_NODES` values (a "billion laughs"
  bomb: a few lines that expand to billions of strings once walked).

Errors are :class:`UnsafeYamlError`, a ``yaml.YAMLError`` with ``problem`` and
``problem_mark`` like PyYAML's own, so one ``except yaml.YAMLError`` reports both kinds
with the file name and line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 512 * 1024
"""The largest YAML document read (512 KB; a form or a course catalogue is a few KB)."""
MAX_DEPTH = 50
"""The deepest nesting of lists and mappings."""
MAX_ALIASES = 100
"""The most aliases (``*name``) in one document."""
MAX_NODES = 100_000
"""The most values (scalars, lists, mappings) a document may hold, and expand to with its
aliases counted as many times as they are used."""


_DEEP_FLOW = re.compile(rf"(?:[\[{{][^\[\]{{}}\n]{{0,80}}){{{MAX_DEPTH + 1}}}")
"""More than MAX_DEPTH ``[`` or ``{`` opened on one line with none closed: found by a
regular expression before PyYAML's scanner, whose look-ahead is slow on such lines."""


class UnsafeYamlError(yaml.YAMLError):
    """A YAML document corehub refuses to read: too large, too deep, or an alias bomb."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None, source: str = ""):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark
        self.source = source

    def __str__(self) -> str:
        where = f"{self.source}, " if self.source else ""
        if self.problem_mark is not None:
            where += f"line {self.problem_mark.line + 1}, "
        return f"{where}{self.problem}" if where else self.problem


def _base_loader() -> type:
    """libyaml's parser with PyYAML's composer (so depth and aliases can be counted while
    composing) when libyaml is installed, five times faster; else PyYAML's own."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        safe: type = yaml.SafeLoader
        return safe
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    class FastLoader(CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self.anchors: dict[Any, Node] = {}

        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_node = Composer.compose_node
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

    return FastLoader


class _LimitedLoader(_base_loader()):  # type: ignore[misc]
    """A safe loader counting depth, values and aliases while it composes the document."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise UnsafeYamlError(
                    f"more than {MAX_ALIASES} aliases (*name); write the values out",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise UnsafeYamlError(
                f"more than {MAX_NODES:,} values; split the file", self.peek_event().start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise UnsafeYamlError(
                    f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A YAML date or time; an impossible one (``2027-02-30``) is an error naming it."""
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
        ) from None


_LimitedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def load_yaml(text: str | bytes, *, source: str = "") -> Any:
    """The data of one YAML document; ``UnsafeYamlError`` (or PyYAML's errors) when refused.

    ``source`` (a file name) starts the text of an ``UnsafeYamlError``; its ``problem``
    and ``problem_mark`` are without it, for callers that name the file themselves.
    """
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise UnsafeYamlError(
            f"the document is {size / 1_000_000:.1f} MB; corehub reads YAML files of at most "
            f"{MAX_BYTES // 1024} KB",
            source=source,
        )
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    deep = _DEEP_FLOW.search(text)
    if deep is not None:
        line = text.count("\n", 0, deep.start())
        mark = yaml.Mark(source, deep.start(), line, 0, None, None)
        raise UnsafeYamlError(f"nested more than {MAX_DEPTH} levels deep", mark, source=source)
    loader = _LimitedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return loader.construct_document(node)
    except UnsafeYamlError as exc:
        exc.source = source
        raise
    finally:
        getattr(loader, "dispose", lambda: None)()


def _check_expansion(root: Node) -> None:
    """Refuse a document whose aliases expand to too many values, or refer to themselves."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise UnsafeYamlError("an alias refers to a value that contains it", node.start_mark)
        total = 1
        if isinstance(node, SequenceNode | MappingNode):
            open_nodes.add(key)
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            for child in children:
                total += size(child)
                if total > MAX_NODES:
                    raise UnsafeYamlError(
                        f"expands to more than {MAX_NODES:,} values (aliases used over and "
                        "over); write the values out",
                        node.start_mark,
                    )
            open_nodes.discard(key)
        sizes[key] = total
        return total

    size(root)
