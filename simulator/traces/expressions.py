"""The expectation language of golden traces: Python expression syntax, read by a small interpreter.

Traces state relations between fields ("cancel_at = the period end", "canceled_at = the moment of
the action", "the amount is the sum of the lines"), which literal values cannot express. Parsing
with `ast` and interpreting only a closed set of nodes keeps trace files data: nothing in them can
call into the simulator, and an expression the interpreter would not understand is refused when
the trace is loaded, not when a journey happens to reach it.
"""

from __future__ import annotations

import ast
import operator
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda item, container: item in container,
    ast.NotIn: lambda item, container: item not in container,
}
ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
# Functions every expression may call, beside the ones the checker provides per event.
BUILTINS: dict[str, Callable[..., Any]] = {
    "len": len,
    "sum": sum,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "sorted": sorted,
    "any": any,
    "all": all,
}
SYNTAX = (
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Store,
    ast.Attribute,
    ast.Subscript,
    ast.List,
    ast.Tuple,
    ast.Compare,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.BinOp,
    ast.IfExp,
    ast.Call,
    ast.ListComp,
    ast.GeneratorExp,
    ast.comprehension,
    *COMPARISONS,
    *ARITHMETIC,
)
# Nodes whose value a failure message shows: what a reader needs to see why it failed.
SHOWN = (ast.Attribute, ast.Subscript, ast.Name, ast.Call, ast.BinOp, ast.ListComp)


class ExpressionRefused(ValueError):
    """The expression uses syntax the trace language does not have (an authoring error)."""


class Unmet(Exception):
    """The expression could not be evaluated on this event (a missing key, a missing event)."""


@dataclass(frozen=True, slots=True)
class Verdict:
    held: bool
    why: str


@dataclass(frozen=True)
class Expression:
    """One expectation, parsed once; `holds` evaluates it against one event's names."""

    source: str
    tree: ast.expr

    @classmethod
    def parse(cls, source: str, known_names: frozenset[str]) -> Expression:
        try:
            tree = ast.parse(source, mode="eval").body
        except SyntaxError as error:
            raise ExpressionRefused(f"{source!r} is not an expression: {error.msg}") from error
        _refuse_unknown(tree, source, known_names | frozenset(BUILTINS))
        return cls(source, tree)

    def holds(self, names: Mapping[str, Any]) -> Verdict:
        evaluation = _Evaluation(ChainMap(dict(names), BUILTINS))
        try:
            value = evaluation.operand(self.tree)
        except Unmet as error:
            return Verdict(False, str(error))
        except (TypeError, ValueError, IndexError, ZeroDivisionError) as error:
            return Verdict(False, f"cannot be evaluated: {error}")
        if value is True:
            return Verdict(True, "")
        return Verdict(False, evaluation.shown())


def _refuse_unknown(tree: ast.expr, source: str, known_names: frozenset[str]) -> None:
    bound = {
        node.target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.comprehension) and isinstance(node.target, ast.Name)
    }
    for node in ast.walk(tree):
        if not isinstance(node, SYNTAX):
            raise ExpressionRefused(f"{source!r} uses {type(node).__name__}, not in the language")
        if isinstance(node, ast.Name) and node.id not in known_names | bound:
            raise ExpressionRefused(f"{source!r} names {node.id!r}; known: {sorted(known_names)}")
        if isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            raise ExpressionRefused(f"{source!r}: call only named functions, without keywords")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionRefused(f"{source!r} reads {node.attr!r}")
        if isinstance(node, ast.ListComp | ast.GeneratorExp) and (
            len(node.generators) != 1 or not isinstance(node.generators[0].target, ast.Name)
        ):
            raise ExpressionRefused(f"{source!r}: a comprehension has one `for name in ...`")


@dataclass
class _Evaluation:
    names: Mapping[str, Any]
    seen: dict[str, Any] = field(default_factory=dict)

    def operand(self, node: ast.expr) -> Any:
        """A value a failure message shows beside its source (the operands of the result)."""
        result = self.value(node)
        if isinstance(node, SHOWN) and not (callable(result) or _is_view(result)):
            self.seen.setdefault(ast.unparse(node), result)
        return result

    def shown(self) -> str:
        return "; ".join(f"{source} = {_show(value)}" for source, value in self.seen.items())

    def value(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.names[node.id]
        if isinstance(node, ast.Attribute):
            return _member(self.value(node.value), node.attr, ast.unparse(node.value))
        if isinstance(node, ast.Subscript):
            return _item(self.value(node.value), self.value(node.slice), ast.unparse(node.value))
        if isinstance(node, ast.List | ast.Tuple):
            return [self.value(element) for element in node.elts]
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            return list(self._comprehension(node))
        return self._operation(node)

    def _operation(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.BoolOp):
            return self._boolean(node)
        if isinstance(node, ast.UnaryOp):
            operand = self.operand(node.operand)
            return (not operand) if isinstance(node.op, ast.Not) else -operand
        if isinstance(node, ast.BinOp):
            left, right = self.operand(node.left), self.operand(node.right)
            return ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.IfExp):
            return self.value(node.body) if self.operand(node.test) else self.value(node.orelse)
        if isinstance(node, ast.Call):
            function = self.value(node.func)
            return function(*(self.operand(argument) for argument in node.args))
        raise ExpressionRefused(f"{ast.unparse(node)} is not in the language")

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp) -> Iterator[Any]:
        generator = node.generators[0]
        assert isinstance(generator.target, ast.Name)
        for item in self.value(generator.iter):
            inner = _Evaluation(ChainMap({generator.target.id: item}, dict(self.names)))
            if all(inner.value(condition) for condition in generator.ifs):
                yield inner.value(node.elt)

    def _compare(self, node: ast.Compare) -> bool:
        left = self.operand(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.operand(comparator)
            if not COMPARISONS[type(op)](left, right):
                return False
            left = right
        return True

    def _boolean(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        result: Any = is_and
        for operand in node.values:
            result = self.operand(operand)
            if bool(result) != is_and:
                return result
        return result


def _is_view(value: Any) -> bool:
    """A whole object or event: too large to be worth showing in a one-line failure."""
    return isinstance(value, Mapping) or hasattr(value, "__dataclass_fields__")


def _member(container: Any, name: str, where: str) -> Any:
    """`a.b`: key `b` of a JSON object, or a field of an event the checker provides."""
    if isinstance(container, Mapping):
        if name not in container:
            raise Unmet(f"{where} has no key {name!r}")
        return container[name]
    if container is None:
        raise Unmet(f"{where} is None, so it has no {name!r}")
    if hasattr(container, "__dataclass_fields__") and name in container.__dataclass_fields__:
        return getattr(container, name)
    raise Unmet(f"{where} ({type(container).__name__}) has no {name!r}")


def _item(container: Any, index: Any, where: str) -> Any:
    if isinstance(container, list) and isinstance(index, int):
        if not -len(container) <= index < len(container):
            raise Unmet(f"{where} has {len(container)} entries, no [{index}]")
        return container[index]
    return _member(container, str(index), where)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:117]}..."
