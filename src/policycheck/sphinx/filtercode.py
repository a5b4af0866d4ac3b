"""Filter code of one form, read for the types it can select.

sphinx-needs runs a view's filter code (the directive's content) with ``needs``
and ``results``; what it appends to ``results`` is what the view shows. Code that
reaches the needs only through loops over ``needs.filter_types([...])`` and appends
only such a loop's own need selects needs of those types alone: a project lists
its roles or workflows that way. Any other code may select any need
(``selection``'s pre-filter then rewrites its page on any change).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

# Names through which filter code could reach needs other than those it is given, or
# run code it builds.
_ESCAPES = frozenset(
    {"eval", "exec", "compile", "globals", "locals", "vars", "getattr", "setattr",
     "delattr", "__import__", "__builtins__", "open", "dir", "type", "object", "super",
     "breakpoint", "input", "memoryview", "id"}
)  # fmt: skip


# Methods that change a mapping (a need, with sphinx-needs' unsafe filters), and the
# only ones filter code may call on a loop's need.
_CHANGES = frozenset({"update", "setdefault", "pop", "popitem", "clear"})
_READS = frozenset({"get", "keys", "values", "items"})


def code_types(code: str) -> tuple[str, ...] | None:
    """The need types filter code can select, when it is of one form: it reaches the
    needs only by loops ``for need in needs.filter_types(["type", ...])`` (constant
    types), and appends to ``results`` only such a loop's own need; None for any
    other code (it may select any need).

    ``results = []`` and conditions on the need (``if need["is_external"] ==
    False:``) may be there; imports, functions, other uses of ``needs`` or
    ``results``, names that reach further (``eval``, ``getattr``…) and private
    attributes may not."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    parent: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parent[child] = node
    types: list[str] = []
    loops: dict[ast.For, str] = {}  # each loop over filter_types, by its need's name
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom | ast.Global | ast.Nonlocal):
            return None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            return None
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in _CHANGES):
            return None
        if isinstance(node, ast.Subscript | ast.Attribute) and not isinstance(node.ctx, ast.Load):
            return None  # (a need changed: with unsafe filters, what the table shows)
        if isinstance(node, ast.Name) and node.id in _ESCAPES:
            return None
        if isinstance(node, ast.Match) or (isinstance(node, ast.ExceptHandler) and node.name):
            return None  # (names bound otherwise than by assignment)
        if isinstance(node, ast.Name) and node.id == "needs":
            loop = _filter_types_loop(node, parent, types)
            if loop is None:
                return None
            loops[loop] = loop.target.id  # type: ignore[attr-defined]
    assigned = [
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    ]
    needs_names = list(loops.values())
    if any(assigned.count(name) != needs_names.count(name) for name in needs_names):
        return None  # (a loop's need is set elsewhere too)
    for node in ast.walk(tree):  # a need's own methods: only those that read it
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in needs_names
            and node.attr not in _READS
        ):
            return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and node.id == "results"
            and not _results_use(node, parent, loops)
        ):
            return None
    return tuple(types) if loops else None


def _filter_types_loop(
    name: ast.Name, parent: Mapping[ast.AST, ast.AST], types: list[str]
) -> ast.For | None:
    """The loop whose iterable is this ``needs.filter_types([...])`` (its types added
    to ``types``), or None for any other use of ``needs``."""
    call = _method_call(name, "filter_types", parent)
    loop = parent.get(call) if call is not None else None
    if not (
        call is not None
        and isinstance(loop, ast.For)
        and loop.iter is call
        and isinstance(loop.target, ast.Name)
        and len(call.args) == 1
        and isinstance(call.args[0], ast.List | ast.Tuple)
        and all(
            k.arg == "or_type_names" and isinstance(k.value, ast.Constant) for k in call.keywords
        )
    ):
        return None
    elements = call.args[0].elts
    found = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if len(found) != len(elements):
        return None
    types.extend(found)
    return loop


def _method_call(name: ast.Name, method: str, parent: Mapping[ast.AST, ast.AST]) -> ast.Call | None:
    """The call ``name.method(...)`` that this use of ``name`` is the receiver of."""
    attribute = parent.get(name)
    call = parent.get(attribute) if attribute is not None else None
    if (
        isinstance(attribute, ast.Attribute)
        and attribute.attr == method
        and isinstance(call, ast.Call)
        and call.func is attribute
    ):
        return call
    return None


def _results_use(
    name: ast.Name, parent: Mapping[ast.AST, ast.AST], loops: Mapping[ast.For, str]
) -> bool:
    """Whether this use of ``results`` is ``results = []`` or ``results.append(need)``
    within the loop over filter_types that gives ``need``."""
    above = parent.get(name)
    if isinstance(name.ctx, ast.Store):
        return (
            isinstance(above, ast.Assign)
            and above.targets == [name]
            and isinstance(above.value, ast.List)
            and not above.value.elts
        )
    call = _method_call(name, "append", parent)
    if not (
        call is not None
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name)
        and isinstance(parent.get(call), ast.Expr)
    ):
        return False
    appended = call.args[0].id
    node: ast.AST | None = call
    while node is not None:  # within a loop over filter_types that gives that need
        if isinstance(node, ast.For) and loops.get(node) == appended:
            return True
        node = parent.get(node)
    return False
