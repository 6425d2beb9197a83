"""The plugin manager and the calling of hooks through it.

A module of its own, below the hook specifications and the Hub: the Hub's ``pm`` and ``hook``
are typed with these classes (see :mod:`corehub.context`), and the services call hooks
through them, so none of them needs :mod:`corehub.plugins`, which finds and loads plugins
and knows corehub's hook specifications. Every name here is also importable from
:mod:`corehub.plugins`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pluggy

from corehub.errors import CorehubError, DuplicateRegistrationError, PluginError

# Records as dataclasses, not attrs classes: every corehub run builds a plugin manager
# (``corehub --help`` too), and attrs is imported only by what needs a record.


@dataclasses.dataclass(slots=True)
class PluginInfo:
    """What ``corehub plugins`` says about one loaded plugin."""

    name: str
    source: str
    """``builtin``, ``entry point``, ``plugins dir`` or ``registered``."""
    module: str
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None
    hooks: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class PluginFailure:
    """A plugin that was found but not loaded, and why."""

    name: str
    distribution: str | None
    error: str


class PluginManager(pluggy.PluginManager):
    """A pluggy plugin manager that remembers where each plugin came from."""

    def __init__(self, specs: Iterable[types.ModuleType | type] = ()) -> None:
        """``specs``: the modules (or classes) of hook specifications this manager calls;
        :func:`corehub.plugins.make_plugin_manager` passes corehub's own."""
        super().__init__("corehub")
        for module in specs:
            self.add_hookspecs(module)
        self.infos: dict[str, PluginInfo] = {}
        self.failures: list[PluginFailure] = []

    def register_named(
        self, plugin: object, name: str, *, source: str = "registered", **info: Any
    ) -> None:
        """Register ``plugin`` as ``name`` and remember its origin."""
        module = getattr(plugin, "__name__", None) or type(plugin).__module__
        self.register(plugin, name=name)
        self.infos[name] = PluginInfo(name=name, source=source, module=module, **info)

    def unregister_named(self, name: str) -> None:
        plugin = self.get_plugin(name)
        if plugin is not None:
            self.unregister(plugin, name=name)
        self.infos.pop(name, None)

    def version_of(self, name: str) -> str | None:
        """The version of plugin ``name``: its distribution's, else the ``__version__`` of its
        module or of the package the module is in."""
        info = self.infos.get(name)
        if info is not None and info.version:
            return info.version
        plugin = self.get_plugin(name)
        version = getattr(plugin, "__version__", None)
        if version is None and info is not None and "." in info.module:
            package = sys.modules.get(info.module.split(".", 1)[0])
            version = getattr(package, "__version__", None)
        return str(version) if version is not None else None

    def hooks_of(self, name: str) -> list[str]:
        """Names of the hooks the plugin ``name`` implements."""
        plugin = self.get_plugin(name)
        callers = self.get_hookcallers(plugin) or [] if plugin is not None else []
        return sorted(caller.name for caller in callers)

    def hook_names(self) -> list[str]:
        """The names of the hooks this manager has a specification for."""
        return sorted(
            name
            for name, caller in vars(self.hook).items()
            if isinstance(caller, pluggy.HookCaller) and caller.spec is not None
        )

    def check_and_drop_invalid(self, *, strict: bool) -> None:
        """Run ``check_pending``; a plugin with an unknown hook is reported and unregistered."""
        while True:
            try:
                self.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                name = self.get_name(exc.plugin) or repr(exc.plugin)
                message = _unknown_hook_message(name, exc, self.hook_names())
                if strict:
                    raise PluginError(message, plugin=name) from None
                info = self.infos.get(name)
                self.unregister_named(name)
                self._fail(name, info.distribution if info else None, message)

    def _fail(self, name: str, distribution: str | None, message: str) -> None:
        self.failures.append(PluginFailure(name=name, distribution=distribution, error=message))
        print(f"corehub: plugin {name!r} skipped: {message}", file=sys.stderr)


def _unknown_hook_message(name: str, exc: pluggy.PluginValidationError, known: list[str]) -> str:
    match = re.search(r"unknown hook '(\w+)'", str(exc))
    if not match:
        return str(exc)
    import difflib

    hook = match.group(1)
    close = difflib.get_close_matches(hook, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"plugin {name!r} implements unknown hook {hook!r}{hint}"


class HookRelay:
    """``hub.hook.<name>(**kwargs)``: calls a hook and names the plugin when one fails."""

    def __init__(self, pm: pluggy.PluginManager):
        self._pm = pm

    def __getattr__(self, name: str) -> NamedHookCaller:
        caller = getattr(self._pm.hook, name)
        return NamedHookCaller(caller)

    def implemented(self, *names: str) -> bool:
        """Whether any plugin implements one of the hooks ``names`` (so a caller can skip
        building what it would pass when nobody listens)."""
        return any(getattr(self._pm.hook, name).get_hookimpls() for name in names)

    def call_batched(
        self,
        *,
        batched: str,
        single: str,
        many: str,
        one: str,
        items: Sequence[Any],
        **kwargs: Any,
    ) -> None:
        """Call hook ``batched`` once with all ``items`` (as its argument ``many``), and its
        per-item form ``single`` once per item (as its argument ``one``) for the plugins
        that implement only that.

        A plugin that implements both is called through ``batched`` alone. Plugins are
        reached in the order pluggy would call them if both were one hook, each plugin
        for every item before the next plugin; a failure is a PluginError naming the
        plugin and the hook. Nothing is called when ``items`` is empty.
        """
        if not items:
            return
        for impl in batched_implementations(self._pm, batched=batched, single=single):
            if impl.batched:
                impl(**kwargs, **{many: list(items)})
            else:
                for item in items:
                    impl(**kwargs, **{one: item})


class NamedHookCaller:
    """Wraps a pluggy hook caller; an unexpected error becomes a PluginError naming the plugin."""

    def __init__(self, caller: pluggy.HookCaller):
        self._caller = caller
        self.name = caller.name

    def get_hookimpls(self) -> list[Any]:
        return self._caller.get_hookimpls()

    def __call__(self, **kwargs: Any) -> Any:
        try:
            return self._caller(**kwargs)
        except CorehubError:
            raise
        except Exception as exc:
            plugin = _failing_plugin(exc, self._caller.get_hookimpls())
            raise PluginError(
                f"plugin {plugin!r} failed in hook {self.name}: {type(exc).__name__}: {exc}",
                plugin=plugin,
                hook=self.name,
            ) from exc

    def collect(
        self,
        *,
        on_refusal: Callable[[str, CorehubError], object] | None = None,
        transaction: Callable[[], contextlib.AbstractContextManager[Any]] | None = None,
        **kwargs: Any,
    ) -> list[tuple[str, Any]]:
        """Call each implementation in turn; return ``(plugin name, result)`` pairs, None dropped.

        Used for ``register_*`` hooks, where the core must know which plugin returned what.
        With ``transaction``, each implementation runs inside one (``hub.atomic``); with
        ``on_refusal``, an implementation raising a CorehubError is reported to it by plugin
        name (its writes rolled back by the transaction) and the others still run.
        """
        results: list[tuple[str, Any]] = []
        for impl in reversed(self._caller.get_hookimpls()):
            if impl.hookwrapper or impl.wrapper:
                continue
            try:
                with transaction() if transaction is not None else contextlib.nullcontext():
                    result = self._call_one(impl, kwargs)
            except CorehubError as exc:
                if on_refusal is None:
                    raise
                on_refusal(impl.plugin_name, exc)
                continue
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def first(self, **kwargs: Any) -> tuple[str | None, Any]:
        """Call a ``firstresult`` hook and say which plugin answered: ``(plugin name, result)``,
        or ``(None, None)`` when none did.

        Used where the core must keep what produced a result (a review's score). With a
        wrapper on the hook the ordinary call is made, and the name is None.
        """
        impls = self._caller.get_hookimpls()
        if any(impl.hookwrapper or impl.wrapper for impl in impls):
            return None, self(**kwargs)
        for impl in reversed(impls):
            result = self._call_one(impl, kwargs)
            if result is not None:
                return impl.plugin_name, result
        return None, None

    def _call_one(self, impl: Any, kwargs: dict[str, Any]) -> Any:
        """One plugin's implementation: a refusal (CorehubError) passes as it is; any other
        failure is a PluginError naming the plugin and the hook."""
        try:
            return impl.function(*[kwargs[arg] for arg in impl.argnames])
        except CorehubError:
            raise
        except Exception as exc:
            raise PluginError(
                f"plugin {impl.plugin_name!r} failed in hook {self.name}: {type(exc).__name__}: {exc}",
                plugin=impl.plugin_name,
                hook=self.name,
            ) from exc

    def registry(
        self, *, what: str, load: Callable[[Any], Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Call a ``register_*`` hook and index the records by ``id`` (or ``name``).

        Two plugins registering the same id is a DuplicateRegistrationError naming both,
        unless exactly one of the records says ``replaces=True``; that one wins. ``load``,
        when given, turns each returned item into its record first; ``register_forms``
        reads a form's YAML path into the form by itself (:func:`corehub.forms.form_of`).
        """
        if load is None and self.name == "register_forms":
            # a form may be registered as its YAML file's path: keyed by the form's id, not
            # by the file's name
            from corehub.forms import form_of

            load = form_of
        found: dict[str, tuple[str, Any]] = {}
        for plugin, result in self.collect(**kwargs):
            records = result if isinstance(result, list | tuple) else [result]
            for record in records:
                if load is not None:
                    record = load(record)
                key = getattr(record, "id", None) or record.name
                if key in found:
                    other_plugin, other = found[key]
                    mine, theirs = (
                        getattr(record, "replaces", False),
                        getattr(other, "replaces", False),
                    )
                    if mine and not theirs:
                        found[key] = (plugin, record)
                        continue
                    if theirs and not mine:
                        continue
                    raise DuplicateRegistrationError(
                        f"{what} {key!r} is registered by both plugin {other_plugin!r} and plugin "
                        f"{plugin!r}; remove one, or mark the one that should win with replaces=True",
                        plugin=plugin,
                        hook=self.name,
                    )
                found[key] = (plugin, record)
        return {key: record for key, (_, record) in found.items()}


@dataclasses.dataclass(frozen=True, slots=True)
class Implementation:
    """One plugin's implementation of a hook, as :func:`batched_implementations` finds it."""

    plugin: str
    hook: str
    """The hook it implements: the batched one, or the per-person one."""
    batched: bool
    impl: Any = dataclasses.field(repr=False)
    caller: pluggy.HookCaller | None = dataclasses.field(repr=False)
    """The hook reaching this plugin's implementation alone (and the hook's wrappers), so
    ``COREHUB_TRACE_PLUGINS`` logs each call as it logs any other; None for a plugin object
    that cannot be hashed (then the implementation is called directly)."""

    def __call__(self, **kwargs: Any) -> Any:
        """Call it; its answer, or None. An unexpected error becomes a PluginError naming the
        plugin and the hook (a CorehubError passes through)."""
        try:
            if self.caller is None:
                answer = self.impl.function(*[kwargs[arg] for arg in self.impl.argnames])
                return answer
            results = self.caller(**kwargs)
        except CorehubError:
            raise
        except Exception as exc:
            raise PluginError(
                f"plugin {self.plugin!r} failed in hook {self.hook}: {type(exc).__name__}: {exc}",
                plugin=self.plugin,
                hook=self.hook,
            ) from exc
        return results[0] if results else None


def batched_implementations(
    pm: pluggy.PluginManager, *, batched: str, single: str
) -> list[Implementation]:
    """The implementations of a per-person hook and of its batched variant, in call order.

    ``single`` is a hook called once per person (``person_enrolled``) and ``batched`` its
    variant called once for many (``people_enrolled``). A plugin that implements the batched
    hook is reached through it alone; a plugin with only the per-person hook still is, by
    one call per person. The order is the one pluggy would call them in if both were one
    hook (``tryfirst`` first, ``trylast`` last, the latest registered first), so plugins
    see each other's work in the same order as before the batched hook existed.
    """
    order = {name: n for n, (name, _plugin) in enumerate(pm.list_name_plugin())}
    found: list[tuple[tuple[int, int], Implementation]] = []
    batching: set[str] = set()
    for hook, is_batched in ((batched, True), (single, False)):
        impls = [
            impl
            for impl in getattr(pm.hook, hook).get_hookimpls()
            if not (impl.hookwrapper or impl.wrapper)
        ]
        for impl in impls:
            if is_batched:
                batching.add(impl.plugin_name)
            elif impl.plugin_name in batching:
                continue
            registered = order.get(impl.plugin_name, len(order))
            key = (
                (0, -registered)
                if impl.tryfirst
                else (2, registered)
                if impl.trylast
                else (1, -registered)
            )
            others = [other.plugin for other in impls if other is not impl]
            caller = (
                pm.subset_hook_caller(hook, remove_plugins=others)
                if all(_hashable(other.plugin) for other in impls)
                else None
            )
            found.append((key, Implementation(impl.plugin_name, hook, is_batched, impl, caller)))
    return [implementation for _key, implementation in sorted(found, key=lambda f: f[0])]


def _hashable(plugin: object) -> bool:
    """Whether pluggy can tell ``plugin`` apart in a set (an attrs or dataclass instance with
    ``__eq__`` cannot be hashed)."""
    try:
        hash(plugin)
    except TypeError:
        return False
    return True


def _failing_plugin(exc: BaseException, impls: list[Any]) -> str:
    codes: dict[types.CodeType, str] = {
        impl.function.__code__: impl.plugin_name
        for impl in impls
        if hasattr(impl.function, "__code__")
    }
    files: dict[str, str] = {}
    for impl in impls:
        file = getattr(impl.plugin, "__file__", None)
        if file:
            files[os.path.abspath(file)] = impl.plugin_name
    tb = exc.__traceback__
    by_file = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code in codes:
            return codes[code]
        if by_file is None:
            by_file = files.get(os.path.abspath(code.co_filename))
        tb = tb.tb_next
    if by_file:
        return by_file
    names: list[str] = [impl.plugin_name for impl in impls]
    return names[0] if len(names) == 1 else " or ".join(names) or "unknown"
