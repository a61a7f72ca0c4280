"""`partner-api export ITEMS`: every item of a cursor-paginated list operation, as JSONL or CSV on stdout.

One subcommand per paginated operation, named after its items field (`users` for `listUsers`); its options are
the operation's request fields except the cursor. Pages are as large as the spec allows unless `--limit` says.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from typing import Any

import click

from . import _spec
from ._exit import error_line, exit_code

__all__ = ["export_group"]


class _ExportGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_spec.paginated())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _spec.paginated().get(cmd_name)
        return _export_command(cmd_name, spec) if spec is not None else None


def export_group() -> click.Group:
    """The `export` command group."""
    return _ExportGroup("export", help="Export every item of a list operation (follows the cursor to the last page).")


def _export_command(items: str, spec: _spec.OperationSpec) -> click.Command:
    from ._app import field_params, profile_option
    from ._names import param_name

    assert spec.pagination is not None
    fields = [field for field in spec.fields if field.wire_name != spec.pagination.cursor]

    def callback(profile: str | None, format: str, **values: Any) -> int:
        arguments = {
            field.python_name: values[param_name(field)]
            for field in fields
            if values.get(param_name(field)) is not None
        }
        return _export(spec, arguments, profile, format)

    own: list[click.Parameter] = [
        click.Option(
            ["--format", "-f"],
            type=click.Choice(["jsonl", "csv"]),
            default="jsonl",
            show_default=True,
            help="JSON Lines (one item per line) or CSV (nested fields as `extra.country` columns).",
        ),
        profile_option(),
    ]
    params = field_params(f"export {items}", spec, fields, own)
    return click.Command(
        items, params=params, callback=callback,
        help=f"Every item of {spec.name} ({items}), on stdout. Progress on stderr when it is a terminal.",
    )  # fmt: skip


def _page_size(spec: _spec.OperationSpec) -> dict[str, Any]:
    for field in spec.fields:
        if field.wire_name == "limit" and field.kind == "int" and field.maximum is not None:
            return {field.python_name: int(field.maximum)}
    return {}


def _export(spec: _spec.OperationSpec, arguments: dict[str, Any], profile: str | None, format: str) -> int:
    from ._clients import sync_client
    from ._progress import Progress

    assert spec.pagination is not None
    arguments = {**_page_size(spec), **arguments}
    out = sys.stdout
    writer: Any = None
    columns: list[str] = []
    if format == "csv":
        columns = _spec.item_columns(spec)
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
    count = 0
    started = time.monotonic()
    try:
        with sync_client(profile) as client, Progress(f"export {spec.pagination.items}", total=None) as progress:
            for item in getattr(client, f"iter_{spec.pagination.items}")(**arguments):
                data = item.to_dict()
                if writer is not None:
                    writer.writerow({column: _csv_cell(_cell(data, column)) for column in columns})
                else:
                    out.write(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
                count += 1
                progress.advance(done=1)
    except Exception as error:  # report how far it got, then the error, as one line each
        out.flush()
        click.echo(f"partner-api: export stopped after {count} {spec.pagination.items}", err=True)
        click.echo(error_line(error), err=True)
        return exit_code(error)
    out.flush()
    elapsed = time.monotonic() - started
    click.echo(f"exported {count} {spec.pagination.items} in {elapsed:.1f} s", err=True)
    return 0


def _cell(item: Any, column: str) -> Any:
    """The value at a column path (`extra.country`), "" where the item leaves it out."""
    for key in column.split("."):
        if not isinstance(item, dict) or key not in item:
            return ""
        item = item[key]
    return item


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False) if value else ""
    return value
