"""Which needs an aggregate view of sphinx-needs can show: enough to know that an
edited need is shown by none of a page's tables, so the page need not be rewritten.

A view's selection (``:types:``, ``:status:``, ``:tags:``, a ``:filter:`` string, a
pie's lines, a ``need_count``'s filter; a flow's too, unless it starts from a root or
its highlight reads other needs) is read from its node when the page is read
and kept (:func:`selection_of`). :func:`may_select` then answers for one need, from
what it held when it was read (:data:`FIELDS`), in three values: a filter it can
evaluate (``type == "req" and status != "done"``, ``"x" in tags``, comparisons of
these fields with constants, ``and``, ``or``, ``not``, ``len(...)``,
``search(pattern, title)``, ``id.startswith(...)`` and other text methods) says no
only where sphinx-needs would select nothing. Filter code is read in one form only: a loop
over ``needs.filter_types([...])`` that appends its own needs to ``results``
(``filtercode.code_types``). Anything else (a filter function, other code, another
field, a call, a dynamic value) may select the need. It is a pre-filter: a "no"
must be certain, so the page stays the same as a clean build's.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any

from docutils import nodes

from policycheck.sphinx.filtercode import code_types

# What a need holds that filters read, as it was read (see ``snapshot``).
FIELDS = ("type", "type_name", "status", "tags", "docname", "section_name", "is_external",
          "id", "title")  # fmt: skip
# A need's parts (``:np:``), which views list too, have their own id and title: those
# of a need with parts are not read (``_value`` reads no text with ``[[`` in it).
_OWN = frozenset(("id", "title"))
_HAS_PARTS = "[[parts]]"

Selection = tuple[
    tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]
]
"""types, statuses, tags, filters (all must hold), lines (one must hold; none: any)."""

_UNKNOWN = None  # a filter that may hold
_NO = object()  # a value that cannot be told


def snapshot(need: Any) -> tuple[Any, ...]:
    """What :func:`may_select` reads of ``need`` (lists as tuples)."""
    parts = bool(need.get("parts"))
    return tuple(
        _HAS_PARTS if parts and f in _OWN else tuple(v) if isinstance(v, list) else v
        for f in FIELDS
        for v in (need.get(f),)
    )


def selection_of(node: nodes.Element) -> Selection | None:
    """The selection of an aggregate view's node, or None when it cannot be told (a
    filter function, filter code of another form than ``filtercode`` reads, a view
    that follows links, such as a flow from a ``root_id``: every need may be shown)."""
    from policycheck.sphinx.needs_access import selecting_node_types

    table_like, pie, count = selecting_node_types()
    if isinstance(node, count):
        target = str(node.get("reftarget") or "")
        return ((), (), (), (), tuple(target.split(" ? ")) if target else ())
    if not isinstance(node, table_like) and not isinstance(node, pie):
        return None
    if node.get("filter_func") or node.get("root_id"):  # (a flow from a root follows links)
        return None
    if _reads_other_needs(str(node.get("highlight") or "")):
        return None
    code = "\n".join(map(str, node.get("filter_code") or ()))
    if code.strip():  # (sphinx-needs then reads no other option)
        types = code_types(code)
        return None if types is None else (types, (), (), (), ())
    lines: tuple[str, ...] = ()
    if isinstance(node, pie):  # (a line that is a number is a fixed slice: no need's)
        lines = tuple(str(line) for line in node.get("content") or () if not str(line).isdigit())
    scope = node.get("filter")
    return (
        tuple(map(str, node.get("types") or ())),
        tuple(map(str, node.get("status") or ())),
        tuple(map(str, node.get("tags") or ())),
        (str(scope),) if scope else (),
        lines,
    )


def _reads_other_needs(highlight: str) -> bool:
    """Whether a flow's ``highlight`` filter may read needs other than the one it
    highlights (sphinx-needs gives it all of them as ``needs``): then an edit to any
    need may change how the flow's own needs are drawn. Read strictly: the name
    ``needs``, a call of a function other than ``search``, a comprehension or a
    lambda, or text that is no expression, may."""
    if not highlight.strip():
        return False
    tree = _parsed(highlight)
    return tree is None or any(
        (isinstance(n, ast.Name) and n.id == "needs")
        or (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id != "search")
        or isinstance(n, ast.Lambda | ast.comprehension | ast.NamedExpr)
        for n in ast.walk(tree)
    )


# Names in a filter that give access to a need's title other than ``title`` itself
# (the whole need, every need, or the filter's own variables)
_WHOLE = frozenset(("current_need", "needs", "var", "eval", "exec", "locals", "vars",
                    "globals", "getattr", "compile", "__import__", "__builtins__"))  # fmt: skip


def reads_title(expression: str) -> bool:
    """Whether a filter (a ``needextend``'s, say) may read the title of the need it is
    tried on: it names ``title``, the whole need or every need, or uses the check
    context ``c`` other than as ``c.this_doc()``; text that is no expression may."""
    tree = _parsed(expression)
    if tree is None:
        return True
    this_doc = {
        id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "this_doc"
    }
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and (
            n.id == "title"
            or n.id in _WHOLE
            or n.id.startswith("_")
            or (n.id == "c" and id(n) not in this_doc)
        ):
            return True
        if isinstance(n, ast.Attribute) and n.attr.startswith("_"):
            return True
    return False


Extended = Mapping[str, frozenset[str] | None]
"""Fields a ``needextend`` sets when the views are drawn: the values it may append to
a list field, or None when the field may hold anything."""


class _Growing(tuple[Any, ...]):
    """A list field's values as read, to which ``added`` may be appended."""

    added: frozenset[str] = frozenset()


def may_select(selection: Selection, need: Sequence[Any], extended: Extended | None = None) -> bool:
    """Whether a view of this selection may show the need whose :func:`snapshot` is
    ``need`` (False only when it certainly does not), when a ``needextend`` may set
    the fields ``extended``."""
    types, statuses, tags, filters, lines = selection
    values: dict[str, Any] = {}
    for name, value in zip(FIELDS, need, strict=True):
        if extended is None or name not in extended:
            values[name] = value
        elif (added := extended[name]) is not None and isinstance(value, tuple | type(None)):
            values[name] = _Growing(value or ())
            values[name].added = added
    if (
        types
        and {"type", "type_name"} <= values.keys()
        and values["type"] not in types
        and values["type_name"] not in types
    ):
        return False
    if statuses and "status" in values and values["status"] not in statuses:
        return False
    if tags and "tags" in values:
        have = () if values["tags"] is None else values["tags"]  # (an empty _Growing too)
        if not set(have) & set(tags) and not set(getattr(have, "added", ())) & set(tags):
            return False
    if any(_holds(f, values) is False for f in filters):
        return False
    return not (lines and all(_holds(line, values) is False for line in lines))


@functools.lru_cache(maxsize=1024)
def _parsed(expression: str) -> ast.expr | None:
    try:
        return ast.parse(expression.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _holds(expression: str, values: Mapping[str, Any]) -> bool | None:
    tree = _parsed(expression)
    return _UNKNOWN if tree is None else _truth(tree, values)


def _truth(node: ast.expr, values: Mapping[str, Any]) -> bool | None:
    if isinstance(node, ast.BoolOp):
        found = [_truth(v, values) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in found else (True if all(found) else _UNKNOWN)
        return True if True in found else (False if all(f is False for f in found) else _UNKNOWN)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _truth(node.operand, values)
        return _UNKNOWN if inner is None else not inner
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _value(node.left, values), _value(node.comparators[0], values)
        if left is _NO or right is _NO:
            return _UNKNOWN
        op = node.ops[0]
        if isinstance(right, _Growing) and isinstance(op, ast.In | ast.NotIn):
            if left in right:
                return isinstance(op, ast.In)
            return _UNKNOWN if left in right.added else isinstance(op, ast.NotIn)
        if isinstance(left, _Growing) or isinstance(right, _Growing):
            return _UNKNOWN
        compare = _COMPARE.get(type(op))
        if compare is None:
            return _UNKNOWN
        if not isinstance(op, ast.In | ast.NotIn) and (
            isinstance(left, tuple) or isinstance(right, tuple)
        ):  # (a list field as read is a tuple, as is a literal: ``tags != ()`` holds)
            return _UNKNOWN
        try:
            return bool(compare(left, right))
        except TypeError:
            return _UNKNOWN
    if isinstance(node, ast.BoolOp | ast.UnaryOp | ast.Compare):
        return _UNKNOWN
    value = _value(node, values)  # a value's own truth (``is_external``, a call)
    return _UNKNOWN if value is _NO or isinstance(value, _Growing) else bool(value)


_COMPARE: dict[type[ast.cmpop], Any] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
# text methods a filter may call on a field (``id.startswith("REQ_")``)
_TEXT_METHODS = frozenset(("startswith", "endswith", "lower", "upper", "casefold", "strip"))


def _value(node: ast.expr, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        value = values.get(node.id, _NO)
        texts = value if isinstance(value, tuple) else (value,)
        # a value sphinx-needs resolves later (dynamic functions, variants)
        if any(isinstance(t, str) and ("[[" in t or "<<" in t) for t in texts):
            return _NO
        return value
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool | None):
        return node.value
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_value(e, values) for e in node.elts]
        if any(i is _NO or not isinstance(i, str | int | float | bool | None) for i in items):
            return _NO
        return tuple(items)
    if isinstance(node, ast.Call) and not node.keywords:
        return _called(node, [_value(a, values) for a in node.args], values)
    return _NO


def _called(node: ast.Call, args: list[Any], values: Mapping[str, Any]) -> Any:
    """The value of a call a filter makes on a field: ``len(tags)``, ``search(pattern,
    title)`` (sphinx-needs' ``re.search``), ``title.lower()``, ``id.startswith(...)``;
    any other call cannot be told."""
    if any(a is _NO or isinstance(a, _Growing) for a in args):
        return _NO
    func = node.func
    if isinstance(func, ast.Name) and func.id == "len" and len(args) == 1:
        return len(args[0]) if isinstance(args[0], str | tuple) else _NO
    if isinstance(func, ast.Name) and func.id == "search" and len(args) == 2:
        if not all(isinstance(a, str) for a in args):
            return _NO
        try:  # (sphinx-needs ran this very search on every need when it built)
            return re.search(args[0], args[1]) is not None
        except (re.error, RecursionError, OverflowError):
            return _NO
    if isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS:
        owner = _value(func.value, values)
        if not isinstance(owner, str) or not all(isinstance(a, str | tuple) for a in args):
            return _NO
        try:
            return getattr(owner, func.attr)(*args)
        except TypeError:
            return _NO
    return _NO
