"""`partner-api check-spec`: where the live API answers differently from the spec (`partner_api.check_spec`).

Read-only: only the operations the spec marks `x-safe-to-retry: true` are called. Exit 0 when the answers match the
spec, 1 when something differs, otherwise the command line's exit code of the error that stopped it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from . import _spec
from ._exit import OTHER, UsageProblem, error_line, exit_code
from ._options import SectionedCommand, global_options, settings
from ._values import from_text

__all__ = ["check_spec_command"]

_HELP = (
    "Call every read operation (x-safe-to-retry: true; never a mutation) and compare each answer with the spec's "
    "JSON Schema, the default-value rule and the HTTP status of each result code. Prints one line per finding "
    "(kind, operation, JSONPath, expected and received JSON types; never a value). Exit 0: no drift; 1: drift; "
    "else the usual exit codes. --suggest writes an OpenAPI Overlay with the fields to add and the nulls to mark. A "
    "read that needs more than a user (a report's time window) is called with the values of --field, else skipped."
)


def check_spec_command() -> click.Command:
    def callback(
        user_id: int | None, username: str | None, output: str, suggest: Path | None, spec: Path | None,
        field: tuple[str, ...],
    ) -> int:  # fmt: skip
        from .._check_spec import check_spec
        from ._clients import sync_client

        try:
            fields = _read_fields(field)
            with sync_client(settings()) as client:
                result = check_spec(client, user_id=user_id, username=username, spec=spec, fields=fields)
            if suggest is not None:
                _write_overlay(suggest, result.overlay())
        except Exception as error:  # every failure ends the command with its class's exit status and one line
            click.echo(error_line(error), err=True)
            return exit_code(error)
        if output == "json":
            click.echo(json.dumps([finding.as_dict() for finding in result.findings], indent=2))
        else:
            for finding in result.findings:
                click.echo(f"{finding.kind}\t{finding.operation}\t{finding.path}\t"
                           f"expected {finding.expected}, received {finding.received}")  # fmt: skip
        summary = f"check-spec: {len(result.findings)} finding(s) in {len(result.called)} read operation(s)"
        if result.skipped:
            summary += "; not called: " + ", ".join(f"{name} ({why})" for name, why in sorted(result.skipped.items()))
        click.echo(summary, err=True)
        return OTHER if result.drift else 0

    params: list[click.Parameter] = [
        click.Option(["--user-id"], type=click.IntRange(min=1), default=None, help="The user to read."),
        click.Option(["--username"], default=None, help="The user to read (default: the first of listUsers)."),
        click.Option(["--format", "output"], type=click.Choice(["human", "json"]), default="human", show_default=True,
                     help="One line per finding, or a JSON list of {kind, operation, path, expected, received}."),
        click.Option(["--suggest"], type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
                     help="Write an OpenAPI Overlay 1.0 (YAML) with the spec changes the answers suggest."),
        click.Option(["--spec"], type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                     metavar="FILE", help="The OpenAPI document to compare with (default: the one installed)."),
        click.Option(["--field"], multiple=True, metavar="NAME=VALUE",
                     help="A request field some reads need besides the user, e.g. --field start_time=2026-11-01 "
                          "--field end_time=2026-12-01 (times: unix seconds or a date). Repeatable."),
        *global_options(),
    ]  # fmt: skip
    return SectionedCommand("check-spec", params=params, callback=callback, help=_HELP)


def _write_overlay(path: Path, overlay: dict[str, Any]) -> None:
    import yaml

    path.write_text(yaml.safe_dump(overlay, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _read_fields(pairs: tuple[str, ...]) -> dict[str, Any]:
    """`--field NAME=VALUE` pairs as request values, read by the field's type in the spec (a time takes a date)."""
    from .._check_spec import fields_the_reads_need

    names = fields_the_reads_need()
    needed = {
        field.wire_name: field for op in _spec.operations().values() for field in op.fields if field.wire_name in names
    }
    values: dict[str, Any] = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals:
            raise UsageProblem(f"--field {pair}: write it as NAME=VALUE")
        if name not in needed:
            raise UsageProblem(f"--field {name}: no read operation needs it (the fields they need: "
                               f"{', '.join(sorted(needed)) or 'none'})")  # fmt: skip
        try:
            values[name] = from_text(needed[name], text)
        except ValueError as error:
            raise UsageProblem(f"--field {name}: {error}") from None
    return values
