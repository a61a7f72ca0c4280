"""The names the command line claims for itself, and the check that no request field is shadowed by one.

A request field is the option `--<wire name>` (`_` written `-`; a boolean also `--no-<wire name>`). The
command's own options (the global `--profile`, `--timeout`, `-v/--verbose`, `--debug`; `--output/-o`, `--raw`,
`--all`, `--yes/-y`, export's `--format/-f` and `--columns`, `-h/--help`) and the other fields must answer to
different flags; bulk input keeps the columns starting with `_` for itself (`_error`).
When a spec gains a field that breaks this, building the command fails naming the field, rather than one of
the two silently winning. Inside the program the fields never meet the command's own parameters: their values
travel under `field__<wire name>`.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from ._exit import OTHER
from ._spec import FieldSpec, OperationSpec

__all__ = ["HELP_FLAGS", "NameConflict", "check_columns", "check_flags", "field_flag", "param_name"]

HELP_FLAGS = ("-h", "--help")
"""The help option of every command (the root's `help_option_names`, inherited by its subcommands)."""


class NameConflict(click.ClickException):
    """A request field would answer to a flag or column the command line already uses: the command is not built
    (exit 1, nothing sent). The spec names the field; rename it there or change the command line."""

    exit_code = OTHER


def field_flag(field: FieldSpec) -> str:
    """The option of a request field: `--user-id` for `user_id`."""
    return "--" + field.wire_name.replace("_", "-")


def param_name(field: FieldSpec) -> str:
    """The click parameter name that carries a field's value (never one of the command's own parameter names)."""
    return f"field__{field.wire_name}"


def check_flags(
    command: str,
    spec: OperationSpec,
    own: Sequence[click.Parameter],
    fields: Sequence[tuple[FieldSpec, click.Parameter]],
) -> None:
    """Raise `NameConflict` when a field's option would share a flag with one of the command's own options
    (help included) or with another field's."""
    taken = {flag: f"the help option {'/'.join(HELP_FLAGS)}" for flag in HELP_FLAGS}
    for param in own:
        for flag in _flags(param):
            taken[flag] = f"the command line's own option {'/'.join(_flags(param))}"
    for field, param in fields:
        for flag in _flags(param):
            if flag in taken:
                raise NameConflict(
                    f"cannot build `{command}`: the request field `{field.wire_name}` of {spec.name} would be the "
                    f"option {flag}, which is already {taken[flag]}; a field is never renamed or shadowed, so the "
                    "spec or the command line must change"
                )
            taken[flag] = f"the option of the request field `{field.wire_name}`"


def check_columns(command: str, spec: OperationSpec) -> None:
    """Raise `NameConflict` when a request field starts with `_`: bulk input reserves those columns."""
    for field in spec.fields:
        if field.wire_name.startswith("_"):
            raise NameConflict(
                f"cannot run `{command}`: the request field `{field.wire_name}` of {spec.name} starts with `_`, "
                "which bulk input reserves for its own columns (such as `_error`); a field is never dropped, so "
                "the spec or the command line must change"
            )


def _flags(param: click.Parameter) -> list[str]:
    return [*param.opts, *param.secondary_opts]
