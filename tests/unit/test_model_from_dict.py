"""Every generated model's `from_dict` against a reference read from the attrs class itself.

The reference (`_reference`) knows nothing of the generated code: it takes each attrs field, its declared default
(`attrs.fields`) and its type hint (nested model, list of models, enum, plain value), calls the class's attrs
`__init__` and stores the unknown keys as `additional_properties`. It states the reading rules of issue 18 on its
own: `null` is the field's absence (its default, `UNSET`, `[]`; for a required field a missing value), a value of
another JSON type is a `MalformedAnswer` with the path and the two JSON types, a whole-number float is an integer and
`True` is not one. For each model and many inputs (full answers, the sandbox's answers by `ANSWER_RULES`, required
fields only, missing required fields, unknown keys at every level, nulls, wrong shapes), both must give equal
instances with the same repr and field values, or the same exception with the same arguments.
"""

from __future__ import annotations

import enum
import inspect
import keyword
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import partner_api_client.models as models_package
import pytest
from partner_api._answer_json import MalformedAnswer
from partner_api.sandbox._responses import answer_body
from partner_api_client.spec_facts import ANSWER_RULES
from partner_api_client.types import UNSET, Unset

MODELS = sorted(
    (cls for _, cls in inspect.getmembers(models_package, inspect.isclass) if attrs.has(cls)),
    key=lambda cls: cls.__name__,
)
ANSWER_MODELS = [cls for cls in MODELS if cls.__name__ in ANSWER_RULES]
EXTRA = {"zz_unknown": 7, "zz_nested": {"a": [1, {"b": None}]}, "zz_null": None}


def _json_name(field: attrs.Attribute[Any]) -> str:
    """The wire name of a field: the attribute name, less the `_` the generator appends to a Python keyword."""
    name = field.name
    return name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name


def _fields(cls: type) -> list[attrs.Attribute[Any]]:
    return [field for field in attrs.fields(cls) if field.init]


def _has_extras(cls: type) -> bool:
    return "additional_properties" in attrs.fields_dict(cls)


def _parts(hint: Any) -> list[Any]:
    """The members of a union type hint without `Unset` (or the hint itself)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return [part for part in typing.get_args(hint) if part is not Unset]
    return [hint]


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(inspect.getmodule(cls)))


_JSON_NAMES = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
               dict: "object"}  # fmt: skip


def _json(value: Any) -> str:
    return _JSON_NAMES.get(type(value), "object" if isinstance(value, Mapping) else type(value).__name__)


def _expected(hint: Any) -> str:
    """The JSON type a field of type `hint` has in an answer."""
    (kind,) = _parts(hint)
    if inspect.isclass(kind) and attrs.has(kind):
        return "object"
    if typing.get_origin(kind) is list:
        return "array"
    if typing.get_origin(kind) is typing.Literal:
        return "string"
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(kind, "any")


def _parse(hint: Any, value: Any, path: list[str | int]) -> Any:
    """A present, non-null value of type `hint` at `path` (a field's key, or `[]` for a list item)."""
    (kind,) = _parts(hint)
    expected = _expected(hint)
    if inspect.isclass(kind) and attrs.has(kind):
        if not isinstance(value, dict):
            raise MalformedAnswer(path, expected, _json(value))
        try:
            return _reference(kind, value)
        except MalformedAnswer as error:
            error.path[:0] = path
            raise
    if typing.get_origin(kind) is list:
        if not isinstance(value, list):
            raise MalformedAnswer(path, expected, _json(value))
        (item,) = typing.get_args(kind)
        parsed = []
        for index, entry in enumerate(value):
            try:
                parsed.append(_parse(item, entry, []))
            except MalformedAnswer as error:
                error.path[:0] = [*path, index]
                raise
        return parsed
    if typing.get_origin(kind) is typing.Literal:
        if isinstance(value, str) and value in typing.get_args(kind):
            return value
        if isinstance(value, str):
            raise MalformedAnswer(path, "one of the spec's values", "another string")
        raise MalformedAnswer(path, expected, _json(value))
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind is float and type(value) is int:
        return float(value)
    if kind in (bool, int, float, str) and type(value) is not kind:  # `True` is no integer, 1 no boolean
        raise MalformedAnswer(path, expected, _json(value))
    return value


def _reference(cls: type, src: Any) -> Any:
    """What `cls.from_dict(src)` must give, from attrs metadata and type hints only."""
    if not isinstance(src, Mapping):
        raise MalformedAnswer([], "object", _json(src))
    remaining = dict(src) if _fields(cls) or _has_extras(cls) else {}  # a model without fields reads nothing
    hints = _hints(cls)
    arguments: dict[str, Any] = {}
    for field in _fields(cls):
        key = _json_name(field)
        value = remaining.pop(key, None)
        if value is not None:
            arguments[field.name] = _parse(hints[field.name], value, [key])
        elif field.default is attrs.NOTHING:
            raise MalformedAnswer([key], _expected(hints[field.name]), "nothing")
    instance = cls(**arguments)
    if _has_extras(cls):
        instance.additional_properties = remaining
    return instance


def _sample(hint: Any, depth: int, index: int) -> Any:
    """A non-default JSON value for field number `index` of type `hint`, distinct from its neighbours' (nested
    models filled in, with unknown keys)."""
    kind = _parts(hint)[0]
    if inspect.isclass(kind) and attrs.has(kind):
        return _full(kind, depth + 1)
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return [_sample(item, depth, index), _sample(item, depth + 1, index)]
    if inspect.isclass(kind) and issubclass(kind, enum.Enum):
        return next(member.value for member in kind if member.value)
    if typing.get_origin(kind) is typing.Literal:
        return typing.get_args(kind)[0]
    if kind is bool:
        return True
    if kind is int:
        return 11 + index + 100 * depth
    if kind is float:
        return 2.5 + index
    if kind is str:
        return f"text-{index}-{depth}"
    return {"opaque": [depth]}


def _full(cls: type, depth: int = 0) -> dict[str, Any]:
    hints = _hints(cls)
    body = {_json_name(field): _sample(hints[field.name], depth, i) for i, field in enumerate(_fields(cls))}
    return {**body, **EXTRA} if _has_extras(cls) else body


def _required(cls: type) -> dict[str, Any]:
    full = _full(cls)
    return {_json_name(f): full[_json_name(f)] for f in _fields(cls) if f.default is attrs.NOTHING}


def _variants(cls: type) -> Iterator[tuple[str, Any]]:
    """(label, input) pairs for one model."""
    full = _full(cls)
    yield "full", full
    yield "required only", _required(cls)
    yield "empty", {}
    yield "no unknown keys", {key: value for key, value in full.items() if key not in EXTRA}
    for field in _fields(cls):
        key = _json_name(field)
        yield f"without {key}", {k: v for k, v in full.items() if k != key}
        yield f"{key} null", {**full, key: None}
        yield f"{key} a list", {**full, key: ["x"]}
        yield f"{key} a mapping", {**full, key: {"x": 1}}
    if cls.__name__ in ANSWER_RULES:
        yield "sandbox answer", answer_body(full_known(cls, full), cls.__name__)
    yield "a list instead of an object", [("a", 1)]
    yield "null instead of an object", None


def full_known(cls: type, body: Mapping[str, Any]) -> dict[str, Any]:
    """`body` without the unknown keys, at every level (the sandbox writes only what the spec declares)."""
    hints = _hints(cls)
    known: dict[str, Any] = {}
    for field in _fields(cls):
        key = _json_name(field)
        if key not in body:
            continue
        (kind,) = _parts(hints[field.name])
        value = body[key]
        if inspect.isclass(kind) and attrs.has(kind):
            value = full_known(kind, value)
        elif typing.get_origin(kind) is list and attrs.has(typing.get_args(kind)[0]):
            value = [full_known(typing.get_args(kind)[0], item) for item in value]
        known[key] = value
    return known


def _outcome(parse: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", parse()
    except Exception as exc:  # the same exception type and arguments are part of the contract
        return "raised", (type(exc), exc.args)


def _cases() -> list[Any]:
    return [pytest.param(cls, value, id=f"{cls.__name__}-{label}") for cls in MODELS for label, value in _variants(cls)]


def _assert_same(actual: Any, expected: Any) -> None:
    assert type(actual) is type(expected)
    assert actual == expected
    assert repr(actual) == repr(expected)
    for field in attrs.fields(type(expected)):
        mine, theirs = getattr(actual, field.name), getattr(expected, field.name)
        assert type(mine) is type(theirs), field.name
        if attrs.has(type(theirs)):
            _assert_same(mine, theirs)
        elif isinstance(theirs, list):
            assert len(mine) == len(theirs)
            for mine_item, their_item in zip(mine, theirs, strict=True):
                if attrs.has(type(their_item)):
                    _assert_same(mine_item, their_item)
                else:
                    assert mine_item == their_item
    assert attrs.asdict(actual, recurse=True) == attrs.asdict(expected, recurse=True)


def test_every_model_is_covered() -> None:
    names = {cls.__name__ for cls in MODELS}
    assert {"UserResponse", "User", "UserExtra", "ListUsersResponse", "LoginResponse", "ErrorResponse"} <= names
    assert set(ANSWER_RULES) <= names
    assert len(_cases()) > 15 * len(MODELS)


@pytest.mark.parametrize(("cls", "src"), _cases())
def test_from_dict_matches_the_attrs_reference(cls: Any, src: Any) -> None:
    expected = _outcome(lambda: _reference(cls, src))
    actual = _outcome(lambda: cls.from_dict(src))
    assert actual[0] == expected[0], (actual, expected)
    if actual[0] == "raised":
        (actual_type, actual_args), (expected_type, expected_args) = actual[1], expected[1]
        assert actual_type is expected_type
        assert actual_args == expected_args
    else:
        _assert_same(actual[1], expected[1])


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_defaults_and_required_fields_come_from_the_attrs_declaration(cls: Any) -> None:
    required = _required(cls)
    answer = cls.from_dict(required)
    for field in _fields(cls):
        if field.default is attrs.NOTHING:
            continue
        default = field.default.factory() if isinstance(field.default, attrs.Factory) else field.default  # type: ignore[misc]
        assert getattr(answer, field.name) == default, field.name
        assert default is UNSET or type(getattr(answer, field.name)) is type(default)
    for key in required:
        for missing in ({k: v for k, v in required.items() if k != key}, {**required, key: None}):
            with pytest.raises(MalformedAnswer) as raised:
                cls.from_dict(missing)
            assert (raised.value.path, raised.value.received) == ([key], "nothing")


@pytest.mark.parametrize("cls", [cls for cls in MODELS if _has_extras(cls)], ids=lambda cls: cls.__name__)
def test_unknown_keys_land_in_a_fresh_dict_per_instance(cls: Any) -> None:
    src = _full(cls)
    first, second, bare = cls.from_dict(src), cls.from_dict(src), cls.from_dict(_required(cls))
    assert first.additional_properties == EXTRA
    assert first.additional_properties is not second.additional_properties
    assert bare.additional_properties == {}
    assert bare.additional_properties is not cls.from_dict(_required(cls)).additional_properties
    first["zz_added"] = 1
    assert "zz_added" not in src and "zz_added" not in second.additional_properties


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
def test_to_dict_round_trips_a_full_body(cls: Any) -> None:
    src = _full(cls)
    assert cls.from_dict(src).to_dict() == src
    assert cls.from_dict(cls.from_dict(src).to_dict()) == cls.from_dict(src)


@pytest.mark.parametrize("cls", [cls for cls in MODELS if _fields(cls)], ids=lambda cls: cls.__name__)
def test_a_subclass_is_built_through_its_own_init(cls: Any) -> None:
    @attrs.define
    class Sub(cls):  # type: ignore[misc, valid-type]
        note: str = attrs.field(default="sub", kw_only=True)

        def __attrs_post_init__(self) -> None:
            self.note += "+init"

    src = _full(cls)
    parsed = Sub.from_dict(src)
    assert type(parsed) is Sub
    assert parsed.note == "sub+init"
    base = cls.from_dict(src)
    for field in attrs.fields(cls):
        assert getattr(parsed, field.name) == getattr(base, field.name)
