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
import warnings
from collections.abc import Mapping
from typing import Any, Literal, cast

from partner_api_client.spec_facts import REQUEST_RULES
from partner_api_client.types import UNSET

from ._exceptions import DefaultValueError, DefaultValueWarning
from ._spec_types import FieldRule, ModelRules, RequestEncoder, ecma_pattern, is_default_value

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


def _full_rules_only(arguments: Mapping[str, Any]) -> None:
    """The encoder of a model without a generated one: every call takes the full rules."""
    return None


class RequestBodyBuilder:
    """Validates arguments against the spec's rules and builds the JSON body, applying the default-value rule."""

    def __init__(self, policy: DefaultValuePolicy, rules: Mapping[str, ModelRules] = REQUEST_RULES) -> None:
        if policy not in _POLICIES:
            raise ValueError(f"default_values must be one of {_POLICIES}, not {policy!r}")
        self.policy = policy
        self._rules = rules
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._encoders: Mapping[str, RequestEncoder] = {}
        """The generated straight-line encoder per model (`partner_api_client.request_encoders`): the body the full
        rules give when every given value has exactly its type, is not the type's default and is within every
        constraint (one-of group included), else None. A builder given other rules than the spec's, and a model
        without an encoder, take the full rules on every call."""
        if rules is REQUEST_RULES:
            # Loaded with the client, not by `import partner_api` (which stays cheap) nor by the first call, which
            # would hold the import lock while a client's first concurrent calls queue up behind it and then
            # leave together, in a burst.
            from partner_api_client.request_encoders import REQUEST_ENCODERS

            self._encoders = REQUEST_ENCODERS

    def build(self, operation: str, model: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON body for `operation`; raises `TypeError`/`ValueError`/`DefaultValueError` on bad input."""
        fast = self._encoders.get(model, _full_rules_only)(arguments)
        if fast is not None:
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

    def _pattern(self, pattern: str) -> re.Pattern[str]:
        compiled = self._patterns.get(pattern)
        if compiled is None:
            compiled = self._patterns[pattern] = re.compile(ecma_pattern(pattern))
        return compiled
