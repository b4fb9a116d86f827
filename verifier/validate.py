"""Checking stored dicts against a record's annotations, fast enough to run on every open.

A database file can be edited by hand, a journal line damaged, an import file
written by anything: every field is checked for its type (and a ``Literal``'s
values) before it becomes a record. ``ok`` is a generated function (about a
microsecond per record); ``problems`` explains, field by field, what ``ok``
refused.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Callable, Literal, Union

_NONE = type(None)
_OK = object()  # stands for a missing optional field


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _expected(tp: Any) -> str:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        parts = [_expected(a) for a in args if a is not _NONE]
        return " or ".join(parts) + (" or null" if _NONE in args else "")
    if origin is list or tp is list:
        return f"a list of {_expected(args[0])}" if args and args[0] is not Any else "a list"
    if origin is dict or tp is dict:
        return "an object"
    return getattr(tp, "__name__", str(tp))


def _types(tp: Any) -> frozenset[type] | None:
    """The exact types a value of ``tp`` may have, when a type test alone decides it."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str or tp is bool or tp is int:
        return frozenset({tp})
    if tp is float:  # JSON has one number type (orjson refuses NaN, so no finiteness test)
        return frozenset({int, float})
    if tp is _NONE:
        return frozenset({_NONE})
    if (origin is dict or tp is dict) or ((origin is list or tp is list) and (not args or args[0] is Any)):
        return frozenset({dict if (origin is dict or tp is dict) else list})
    if origin in (Union, types.UnionType):
        parts = [_types(a) for a in args]
        if all(p is not None for p in parts):
            return frozenset().union(*parts)  # type: ignore[arg-type]
    return None


def _expr(tp: Any, var: str, consts: dict[str, Any]) -> str:
    """A Python expression true when ``var`` (evaluated once) holds a value of type ``tp``."""
    def const(value: Any) -> str:
        name = f"_c{len(consts)}"
        consts[name] = value
        return name

    if tp is Any or tp is object:
        return "True"
    simple = _types(tp)
    if simple is not None:
        if len(simple) == 1:
            return f"type({var}) is {const(next(iter(simple)))}"
        return f"type({var}) in {const(simple)}"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is Literal:
        return f"({var} in {const(frozenset(args))} and type({var}) is str)"
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not _NONE]
        inner = _expr(rest[0] if len(rest) == 1 else Union[tuple(rest)], var, consts)
        return f"({var} is None or {inner})" if _NONE in args else inner
    if origin is list:
        item = _types(args[0])
        if item is None and typing.get_origin(args[0]) is list:  # a list of lists (pairs of ids)
            inner_types = _types(typing.get_args(args[0])[0])
            if inner_types is not None:
                return (f"(type({var}) is list and all(type(_x) is list and set(map(type, _x)) <= "
                        f"{const(inner_types)} for _x in {var}))")
        if item is None:
            raise TypeError(f"no check for {tp!r}")
        # set(map(type, ...)) runs in C: a list of 1,000 ids costs microseconds
        return f"(type({var}) is list and set(map(type, {var})) <= {const(item)})"
    raise TypeError(f"no check for {tp!r}")


class Checker:
    """Type checks for one dataclass's stored dict."""

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls)
        self.fields: list[tuple[str, Any, bool]] = []  # (name, type, required)
        for f in dataclasses.fields(cls):
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            self.fields.append((f.name, hints[f.name], required))
        consts: dict[str, Any] = {}
        lines = []
        for i, (name, tp, required) in enumerate(self.fields):
            # A missing optional field stands for its default, which always passes.
            getter = f"d[{name!r}]" if required else f"g({name!r}, _ok)"
            check = _expr(tp, f"_v{i}", consts)
            lines.append(f"    _v{i} = {getter}\n" if required else f"    _v{i} = {getter}\n")
            lines.append(f"    if _v{i} is not _ok and not ({check}): return False\n" if not required
                         else f"    if not ({check}): return False\n")
        src = ("def ok(d):\n"
               "    if type(d) is not dict: return False\n"
               "    g = d.get\n"
               "    try:\n"
               + "".join("    " + line for line in lines) +
               "    except KeyError:\n"
               "        return False\n"
               "    return True\n")
        consts["_ok"] = _OK
        namespace: dict[str, Any] = dict(consts)
        exec(compile(src, f"<checker {cls.__name__}>", "exec"), namespace)  # noqa: S102 - our own annotations
        self.ok: Callable[[object], bool] = self._fast(namespace["ok"])
        self._one: dict[str, Callable[[object], bool]] = {}
        for name, tp, _ in self.fields:
            fn_ns: dict[str, Any] = {}
            fsrc = f"def ok(v):\n    return {_expr(tp, 'v', fn_ns)}\n"
            exec(compile(fsrc, f"<check {cls.__name__}.{name}>", "exec"), fn_ns)  # noqa: S102
            self._one[name] = fn_ns["ok"]
        self._types = {name: tp for name, tp, _ in self.fields}

    def _fast(self, slow: Callable[[object], bool]) -> Callable[[object], bool]:
        """A check that, for a dict with every field in our own order (what our writer stores), tests all
        the types in one C-level tuple lookup; anything else takes the field-by-field ``slow`` path."""
        rows: list[tuple[type, ...]] = [()]
        extra: list[str] = []
        consts: dict[str, Any] = {"_slow": slow}
        for i, (name, tp, _) in enumerate(self.fields):
            allowed = _types(tp)
            if allowed is None:  # a Literal or a list of something: the type here, the rest in `extra`
                origin, args = typing.get_origin(tp), typing.get_args(tp)
                nullable = origin in (Union, types.UnionType) and _NONE in args
                inner = next((a for a in args if a is not _NONE), tp) if nullable else tp
                base = str if typing.get_origin(inner) is Literal else list
                allowed = frozenset({base, _NONE} if nullable else {base})
                extra.append(_expr(tp, f"d[{name!r}]", consts))
            rows = [r + (t,) for r in rows for t in allowed]
            if len(rows) > 4096:
                return slow
        consts["_keys"] = tuple(name for name, _, _ in self.fields)
        consts["_rows"] = frozenset(rows)
        src = ("def ok(d):\n"
               "    if type(d) is dict and tuple(d) == _keys and tuple(map(type, d.values())) in _rows:\n"
               f"        return {' and '.join(extra) or 'True'}\n"
               "    return _slow(d)\n")
        namespace: dict[str, Any] = dict(consts)
        exec(compile(src, "<fast checker>", "exec"), namespace)  # noqa: S102 - our own annotations
        fn: Callable[[object], bool] = namespace["ok"]
        return fn

    def problems(self, data: object, where: str) -> list[str]:
        if not isinstance(data, dict):
            return [f"{where}: expected an object, got {_describe(data)}"]
        out = []
        for name, tp, required in self.fields:
            if name not in data:
                if required:
                    out.append(f"{where}.{name}: missing")
                continue
            value = data[name]
            if not self._one[name](value):
                shown = f" {value!r}" if isinstance(value, str) and len(value) <= 40 else ""
                out.append(f"{where}.{name}: expected {_expected(tp)}, got {_describe(value)}{shown}")
        return out
