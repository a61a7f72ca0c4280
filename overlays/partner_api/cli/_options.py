"""The options commands share: the global ones (`--profile`, `--timeout`, `-v`, `--debug`), one option per request
field (named and typed from the spec), and the output format; plus the command class that shows them in sections.

Global options are accepted before the command (`partner-api -v get-user ...`) and after it (`partner-api
get-user ... -v`); either way they land in one `Settings` object on the root context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import click

from . import _spec
from ._names import check_flags, field_flag, param_name
from ._values import TIME_FORMATS, from_text, range_text

__all__ = [
    "Option",
    "Seconds",
    "SectionedCommand",
    "Settings",
    "field_params",
    "global_options",
    "output_option",
    "selected_arguments",
    "settings",
    "yes_option",
]

_SETTINGS = "partner_api.settings"
GLOBAL = "Global options"


@dataclass
class Settings:
    """What the global options say (None: not given; the profile or the client's default applies)."""

    profile: str | None = None
    timeout: float | None = None
    verbose: int = 0
    debug: bool = False


def settings(ctx: click.Context | None = None) -> Settings:
    """The settings of this invocation (on the root context, shared by the command and its parents)."""
    root = (ctx or click.get_current_context()).find_root()
    found = root.meta.get(_SETTINGS)
    if not isinstance(found, Settings):
        found = root.meta[_SETTINGS] = Settings()
    return found


class Option(click.Option):
    """An option shown under a heading of its own in the help (`section`)."""

    def __init__(self, *args: Any, section: str = "Options", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section


class SectionedCommand(click.Command):
    """A command whose help lists its options by section: the request's fields, then its own, then global."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                sections.setdefault(getattr(param, "section", "Options"), []).append(record)
        for title in sorted(sections, key=lambda title: title == GLOBAL):
            with formatter.section(title):
                formatter.write_dl(sections[title])


def _store(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value in (None, False, 0):
            return
        found = settings(ctx)
        if name == "verbose":
            found.verbose += int(value)
        else:
            setattr(found, name, value)

    return callback


def _complete_profiles(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    from .._profiles import profile_names

    return [CompletionItem(name) for name in profile_names() if name.startswith(incomplete)]


def global_options() -> list[click.Parameter]:
    """`--profile`, `--timeout`, `-v/--verbose`, `--debug`: on the root and on every command."""
    common: dict[str, Any] = {"expose_value": False, "section": GLOBAL}
    return [
        Option(
            ["--profile"], envvar="PARTNER_API_PROFILE", metavar="NAME", callback=_store("profile"),
            shell_complete=_complete_profiles,
            help="Credentials from [profiles.NAME] of ~/.config/partner-api/config.toml "
            "(default: PARTNER_API_BASE_URL, PARTNER_API_PROJECT_ID, PARTNER_API_PRIVATE_KEY).", **common,
        ),
        Option(
            ["--timeout"], type=Seconds(), metavar="SECONDS",
            callback=_store("timeout"),
            help="Seconds for connecting, sending and each answer (default: the profile's timeout, else 10).",
            **common,
        ),
        Option(
            ["--verbose", "-v"], count=True, callback=_store("verbose"),
            help="Log requests, retries, logins and pauses on stderr (secrets hidden).", **common,
        ),
        Option(
            ["--debug"], is_flag=True, callback=_store("debug"),
            help="-v, plus the HTTP library's connection log, and a traceback for an unexpected error.", **common,
        ),
    ]  # fmt: skip


def output_option(default: str = "json", choices: Sequence[str] = ("json", "jsonl", "csv", "table")) -> click.Option:
    described = {
        "json": "json (pretty on a terminal, compact when piped)",
        "jsonl": "jsonl (one line per item)",
        "csv": "csv (nested fields as extra.country)",
        "table": "table (dates and sizes made readable; the others keep the raw values)",
    }
    return Option(
        ["--output", "-o"],
        type=click.Choice(list(choices)),
        default=default,
        metavar="FORMAT",
        help=f"{', '.join(described[choice] for choice in choices)}. Default: {default}.",
    )


def yes_option(spec: _spec.OperationSpec) -> click.Option:
    return Option(
        ["--yes", "-y"],
        is_flag=True,
        help=f"Do not ask before {spec.name} (it deletes or resets data). Without a terminal to ask on, "
        "--yes is required.",
    )


class Seconds(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A number of seconds above 0 (or, with `zero`, 0 too)."""

    name = "SECONDS"

    def __init__(self, *, zero: bool = False) -> None:
        self.zero = zero

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (seconds >= 0 if self.zero else seconds > 0) or seconds != seconds or seconds == float("inf"):
            self.fail(f"{value} is not a number of seconds {'of 0 or more' if self.zero else 'above 0'}", param, ctx)
        return seconds


class _FieldType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A request field's value from its text (`_values.from_text`): numbers, times, JSON or `@file`."""

    def __init__(self, field: _spec.FieldSpec) -> None:
        self.field = field
        self.name = _metavar(field)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return from_text(self.field, value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _metavar(field: _spec.FieldSpec) -> str:
    if field.unit == "unix-seconds":
        return "TIME"
    if field.unit == "bytes":
        return "BYTES"
    return {"int": "INTEGER", "float": "NUMBER"}.get(field.kind, "JSON|@FILE")


class _FieldOption(Option):
    """An option for a request field; its help is the spec's description, read when help is shown."""

    def __init__(self, *args: Any, describe: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe = describe

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help is None:
            self.help = self._describe()
        return super().get_help_record(ctx)


def field_params(
    command: str, spec: _spec.OperationSpec, fields: Sequence[_spec.FieldSpec], own: Sequence[click.Parameter]
) -> list[click.Parameter]:
    """The options of `fields`, then the command's `own` options, then the global ones; `NameConflict` if two
    would share a flag."""
    own = [*own, *global_options()]
    options = [(field, _field_option(spec, field)) for field in fields]
    check_flags(command, spec, own, options)
    return [option for _field, option in options] + own


def _field_option(spec: _spec.OperationSpec, field: _spec.FieldSpec) -> click.Option:
    flag = field_flag(field)
    describe = lambda: field_help(spec, field)  # noqa: E731
    common: dict[str, Any] = {"required": field.required, "describe": describe, "default": None}
    if field.kind == "bool":
        return _FieldOption([f"{flag}/--no-{flag[2:]}", param_name(field)], **common)
    kind: Any
    if field.kind == "enum":
        kind = click.Choice(field.choices)
    elif field.kind == "str":
        kind = click.STRING
    else:
        kind = _FieldType(field)
    return _FieldOption([flag, param_name(field)], type=kind, **common)


def field_help(spec: _spec.OperationSpec, field: _spec.FieldSpec, *, columns: bool = False) -> str:
    """The spec's description of a field, with its range, the times it takes and its one-of group."""
    text = field.description
    if field.kind in ("int", "float") and range_text(field):
        text += f" [{range_text(field)}]"
    if field.unit == "unix-seconds":
        text += f" [{TIME_FORMATS}]"
    if field.wire_name in spec.one_of_required:
        names = spec.one_of_required if columns else [f"--{name.replace('_', '-')}" for name in spec.one_of_required]
        text += f" [one of {' or '.join(names)} is required]"
    return text.strip()


def selected_arguments(fields: Sequence[_spec.FieldSpec], values: dict[str, Any]) -> dict[str, Any]:
    """The client method's keyword arguments: the fields whose option was given."""
    return {
        field.python_name: values[param_name(field)] for field in fields if values.get(param_name(field)) is not None
    }
