"""Turning a method's keyword arguments into the JSON body the API expects.

Driven entirely by the generated `REQUEST_RULES` (types and constraints from the spec), so an operation added
to the spec is covered without code here. Applies the API's rule that 0 and "" mean "field missing":
such values never go on the wire; passed explicitly they raise `DefaultValueError` (policy `"error"`), or are
dropped with a warning (`"warn"`) or silently (`"strip"`). A required field with a default value always raises.
Booleans are values and always sent; free-form objects (`kind == "object"`) are forwarded exactly as given.
"""

from __future__ import annotations

import importlib
import json
import math
import re
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, cast

from partner_api_client.spec_facts import REQUEST_RULES, FieldRule, ModelRules, is_default_value
from partner_api_client.types import UNSET

from ._exceptions import DefaultValueError, DefaultValueWarning

__all__ = ["DefaultValuePolicy", "RequestBodyBuilder"]

DefaultValuePolicy = Literal["error", "warn", "strip"]
_POLICIES = ("error", "warn", "strip")
_SHOWN = 40  # characters of a bad value quoted in an error


class _Default:
    """Marker: the value equals its type's default and is left out."""


_DEFAULT = _Default()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _model_class(name: str) -> type:
    return getattr(importlib.import_module("partner_api_client.models"), name)  # type: ignore[no-any-return]


class _FastPlan(NamedTuple):
    """Per model: (python name, json name, accepts) per field, and the model's `one_of_required`.

    `accepts(value)` is true only for a value the full rules pass unchanged: the right type exactly, not the
    type's default, within every constraint. A call whose given values are all accepted (and that names one of
    `one_of_required`) gets the same body as from the full rules, without them; any other call takes the full
    rules, which raise the errors and apply the default-value policy.
    """

    fields: tuple[tuple[str, str, Callable[[Any], bool]], ...]
    one_of_required: tuple[str, ...]


def _never(value: Any) -> bool:
    return False


def _ecma_anchors(pattern: str) -> str:
    """`pattern` (JSON Schema, ECMA-262) for Python's `re`: an unescaped `$` outside a character class means
    the end of the input there, while Python's `$` also matches before a trailing newline ("en\\n")."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return "".join(out)


class RequestBodyBuilder:
    """Validates arguments against the spec's rules and builds the JSON body, applying the default-value rule."""

    def __init__(self, policy: DefaultValuePolicy, rules: Mapping[str, ModelRules] = REQUEST_RULES) -> None:
        if policy not in _POLICIES:
            raise ValueError(f"default_values must be one of {_POLICIES}, not {policy!r}")
        self.policy = policy
        self._rules = rules
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._plans: dict[str, _FastPlan] = {}

    def build(self, operation: str, model: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON body for `operation`; raises `TypeError`/`ValueError`/`DefaultValueError` on bad input."""
        plan = self._plans.get(model)
        if plan is None:
            plan = self._plans[model] = self._fast_plan(model)
        fast: dict[str, Any] = {}
        for python_name, json_name, accepts in plan.fields:
            value = arguments.get(python_name, UNSET)
            if value is UNSET:
                continue
            if not accepts(value):
                break
            fast[json_name] = value
        else:
            if not plan.one_of_required or not fast.keys().isdisjoint(plan.one_of_required):
                return fast
        defaults: list[tuple[str, bool]] = []
        body = self._build_model(operation, model, arguments, "", defaults)
        if defaults:
            self._apply_policy(operation, defaults)
        return body

    def _apply_policy(self, operation: str, defaults: list[tuple[str, bool]]) -> None:
        required = [path for path, is_required in defaults if is_required]
        if required:
            raise DefaultValueError(operation, required)
        paths = [path for path, _ in defaults]
        if self.policy == "error":
            raise DefaultValueError(operation, paths)
        if self.policy == "warn":
            warnings.warn(
                f'{operation}: dropped {", ".join(paths)}: 0 and "" mean a missing field to the Partner API',
                DefaultValueWarning,
                stacklevel=5,
            )

    def _build_model(
        self,
        operation: str,
        model: str,
        arguments: Mapping[str, Any],
        prefix: str,
        defaults: list[tuple[str, bool]],
    ) -> dict[str, Any]:
        rules = self._rules[model]
        body: dict[str, Any] = {}
        for rule in rules.fields:
            value = arguments.get(rule.python_name, UNSET)
            if value is UNSET:
                continue
            path = prefix + rule.python_name
            encoded = self._encode(operation, rule, value, path, defaults)
            if encoded is _DEFAULT:
                defaults.append((path, rule.required))
            else:
                body[rule.json_name] = encoded
        if rules.one_of_required and body.keys().isdisjoint(rules.one_of_required):
            pending = {path for path, _ in defaults}
            if self.policy != "error" or not pending:
                names = " or ".join(prefix + name for name in rules.one_of_required)
                raise ValueError(
                    f'{operation}: give {names} (a non-default value: user_id 0 and username "" mean missing)'
                )
        return body

    def _encode(self, operation: str, rule: FieldRule, value: Any, path: str, defaults: list[tuple[str, bool]]) -> Any:
        kind = rule.kind
        if kind == "int" or kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float) if kind == "float" else int):
                expected = "a number" if kind == "float" else "an int"
                raise TypeError(f"{operation}: {path} must be {expected}, got {type(value).__name__} {_show(value)}")
            if is_default_value(kind, value):
                return _DEFAULT
            if isinstance(value, float) and not math.isfinite(value):  # JSON has no NaN or infinity
                raise ValueError(f"{operation}: {path}={value} is not a finite number")
            if rule.minimum is not None and value < rule.minimum:
                raise ValueError(f"{operation}: {path}={value} is below the minimum {rule.minimum}")
            if rule.maximum is not None and value > rule.maximum:
                raise ValueError(f"{operation}: {path}={value} is above the maximum {rule.maximum}")
            return value
        if kind == "str" or kind == "enum":
            if not isinstance(value, str):
                raise TypeError(f"{operation}: {path} must be a str, got {type(value).__name__} {_show(value)}")
            if is_default_value(kind, value):
                return _DEFAULT
            if kind == "enum" and value not in rule.choices:
                raise ValueError(f"{operation}: {path} must be one of {', '.join(rule.choices)}, not {_show(value)}")
            if rule.max_length is not None and len(value) > rule.max_length:
                raise ValueError(f"{operation}: {path} is {len(value)} characters long, over {rule.max_length}")
            if rule.min_length is not None and len(value) < rule.min_length:
                raise ValueError(f"{operation}: {path} is shorter than {rule.min_length} characters")
            if rule.pattern is not None and not self._pattern(rule.pattern).search(value):
                raise ValueError(f"{operation}: {path}={_show(value)} does not match {rule.pattern}")
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                raise TypeError(f"{operation}: {path} must be a bool, got {type(value).__name__} {_show(value)}")
            return value
        if kind == "model":
            assert rule.model is not None
            nested = self._model_arguments(operation, rule.model, value, path)
            return self._build_model(operation, rule.model, nested, path + ".", defaults)
        if kind == "object":
            return self._opaque(operation, rule, value, path)
        return value  # `list`/`any`: no rule to apply; JSON encoding will reject what it cannot encode

    def _model_arguments(self, operation: str, model: str, value: Any, path: str) -> Mapping[str, Any]:
        """A nested model given as its generated attrs class or as a mapping of JSON names."""
        rules = self._rules[model].fields
        if isinstance(value, _model_class(model)):
            return {rule.python_name: getattr(value, rule.python_name) for rule in rules}
        if isinstance(value, Mapping):
            by_json = {rule.json_name: rule.python_name for rule in rules}
            unknown = [str(key) for key in value if key not in by_json]
            if unknown:
                raise TypeError(f"{operation}: {path} has unknown field(s) {', '.join(unknown)}")
            return {by_json[key]: item for key, item in value.items()}
        raise TypeError(f"{operation}: {path} must be {model} or a mapping, got {type(value).__name__}")

    def _opaque(self, operation: str, rule: FieldRule, value: Any, path: str) -> Any:
        if rule.model is not None and isinstance(value, _model_class(rule.model)):
            value = cast(Any, value).to_dict()
        if not isinstance(value, Mapping):
            raise TypeError(f"{operation}: {path} must be a mapping, got {type(value).__name__}")
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{operation}: {path} is not JSON-serialisable: {exc}") from None
        return value

    def _fast_plan(self, model: str) -> _FastPlan:
        rules = self._rules[model]
        fields = tuple((rule.python_name, rule.json_name, self._accepts(rule)) for rule in rules.fields)
        return _FastPlan(fields, rules.one_of_required)

    def _accepts(self, rule: FieldRule) -> Callable[[Any], bool]:
        """The fast check of one field (see `_FastPlan`); `_never` sends every given value to the full rules."""
        unbounded = sys.float_info.max if rule.kind == "float" else math.inf  # bounds refuse NaN and infinities
        low = rule.minimum if rule.minimum is not None else -unbounded
        high = rule.maximum if rule.maximum is not None else unbounded
        if rule.kind == "int":
            return lambda value: type(value) is int and value != 0 and low <= value <= high
        if rule.kind == "float":
            return lambda value: type(value) in (int, float) and value != 0 and low <= value <= high
        if rule.kind == "bool":
            return lambda value: type(value) is bool
        if rule.kind == "str" or rule.kind == "enum":
            shortest = rule.min_length if rule.min_length is not None else 0
            longest = rule.max_length if rule.max_length is not None else sys.maxsize
            choices = frozenset(rule.choices) if rule.kind == "enum" else None
            pattern = self._pattern(rule.pattern) if rule.pattern is not None else None

            def accepts(value: Any) -> bool:
                return (
                    type(value) is str
                    and value != ""
                    and shortest <= len(value) <= longest
                    and (choices is None or value in choices)
                    and (pattern is None or pattern.search(value) is not None)
                )

            return accepts
        return _never  # nested models, opaque objects, lists: the full rules every time

    def _pattern(self, pattern: str) -> re.Pattern[str]:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            compiled = self._patterns[pattern] = re.compile(_ecma_anchors(pattern))
        return compiled
