"""`partner-api export ITEMS`: every item of a list, as JSON Lines or CSV on stdout.

- A cursor-paginated list (`users` for `listUsers`): every page, as large as the spec allows unless `--limit` says.
- A list of one thing's items (`sessions`, `devices`, `purchases` of a user; see `_spec.per_item_lists`): of the
  user its options name, or, without one, of every user of the paged list (each item then starts with the
  user's `username`, the field that links the two).

Options are the operation's request fields (except the cursor); `--columns` picks and orders CSV columns (and JSON
keys). Piped, stderr carries only errors; on a terminal, a progress bar and a closing count.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from typing import Any

import click

from .._exceptions import NotFoundError
from .._profiles import did_you_mean
from . import _spec
from ._exit import UsageProblem, error_line, exit_code
from ._options import Option, SectionedCommand, field_params, selected_arguments, settings

__all__ = ["export_group"]


class _ExportGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*_spec.paginated(), *_spec.per_item_lists()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        paged = _spec.paginated().get(cmd_name)
        if paged is not None:
            return _export_command(cmd_name, paged, None)
        linked = _spec.per_item_lists().get(cmd_name)
        if linked is not None:
            return _export_command(cmd_name, linked[0], (linked[1], linked[2]))
        return None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            known = self.list_commands(ctx)
            hint = did_you_mean(name, known) or f" (one of: {', '.join(known)})"
            raise click.UsageError(f"nothing to export called {name}{hint}", ctx)
        return super().resolve_command(ctx, args)


def export_group() -> click.Group:
    """The `export` command group."""
    return _ExportGroup(
        "export",
        help="Export every item of a list: follows the cursor to the last page, or goes through every user.",
        no_args_is_help=True,
    )


def _export_command(
    items: str, spec: _spec.OperationSpec, parent: tuple[_spec.OperationSpec, str] | None
) -> click.Command:
    cursor = spec.pagination.cursor if spec.pagination is not None else None
    fields = [field for field in spec.fields if field.wire_name != cursor]

    def callback(format: str, columns: str | None, **values: Any) -> int:
        return _export(items, spec, parent, selected_arguments(fields, values), format, columns)

    own: list[click.Parameter] = [
        Option(
            ["--format", "-f"],
            type=click.Choice(["jsonl", "csv"]),
            default="jsonl",
            show_default=True,
            help="JSON Lines (one item per line) or CSV (nested fields as extra.country columns).",
        ),
        Option(
            ["--columns"],
            metavar="COLUMN,...",
            help=f"Only these columns (CSV) or keys (JSON Lines), in this order: {', '.join(_columns(spec, parent))}.",
        ),
    ]
    if parent is not None:
        parent_spec, key = parent
        whose = f"the user named by --{' or --'.join(name.replace('_', '-') for name in spec.one_of_required)}"
        text = (
            f"The {items} of {whose}, or, without it, of every user ({parent_spec.name}); each item then starts "
            f"with the user's {key}."
        )
    else:
        text = f"Every item of {spec.name} ({items}), page by page."
    return SectionedCommand(
        items, params=field_params(f"export {items}", spec, fields, own), callback=callback,
        help=f"{text} On stdout; a progress bar and a count on stderr when it is a terminal.",
    )  # fmt: skip


def _columns(spec: _spec.OperationSpec, parent: tuple[_spec.OperationSpec, str] | None) -> list[str]:
    columns = _spec.item_columns(spec)
    if parent is not None and parent[1] not in columns:
        columns = [parent[1], *columns]
    return columns


def _page_size(spec: _spec.OperationSpec) -> dict[str, Any]:
    for field in spec.fields:
        if field.wire_name == "limit" and field.kind == "int" and field.maximum is not None:
            return {field.python_name: int(field.maximum)}
    return {}


def _chosen(given: str | None, known: list[str]) -> list[str] | None:
    if given is None:
        return None
    chosen = [name.strip() for name in given.split(",") if name.strip()]
    for name in chosen:
        if name not in known:
            raise UsageProblem(f"--columns: no column {name}{did_you_mean(name, known)} (columns: {', '.join(known)})")
    return chosen or None


def _items(
    client: Any, spec: _spec.OperationSpec, parent: tuple[_spec.OperationSpec, str] | None, arguments: dict[str, Any],
    skipped: list[str],
) -> Iterator[dict[str, Any]]:  # fmt: skip
    if spec.pagination is not None:
        for item in getattr(client, f"iter_{spec.pagination.items}")(**{**_page_size(spec), **arguments}):
            yield item.to_dict()
        return
    assert spec.payload is not None
    names = {field.python_name: field.wire_name for field in spec.fields}
    if parent is None or any(names.get(name) in spec.one_of_required for name in arguments):
        for item in getattr(client, spec.method)(**arguments).to_dict().get(spec.payload, []):
            yield item
        return
    parent_spec, key = parent
    assert parent_spec.pagination is not None
    for owner in getattr(client, f"iter_{parent_spec.pagination.items}")(**_page_size(parent_spec)):
        value = owner.to_dict().get(key)
        try:
            answer = getattr(client, spec.method)(**{**arguments, key: value}).to_dict()
        except NotFoundError:  # gone between the list and this call
            skipped.append(str(value))
            continue
        for item in answer.get(spec.payload, []):
            yield {key: value, **item} if key not in item else item


def _export(
    items: str, spec: _spec.OperationSpec, parent: tuple[_spec.OperationSpec, str] | None, arguments: dict[str, Any],
    format: str, columns: str | None,
) -> int:  # fmt: skip
    from ._clients import sync_client
    from ._output import ItemWriter
    from ._progress import Progress

    chosen = _chosen(columns, _columns(spec, parent))
    writer = ItemWriter(format, None if parent is not None and chosen is None else spec.payload_model)
    if chosen is not None or parent is not None:
        selected = chosen or _columns(spec, parent)
        writer.fields = tuple(_spec.AnswerField(name, "str", None) for name in selected)
    skipped: list[str] = []
    started = time.monotonic()
    client = sync_client(settings())
    try:
        with client, Progress(f"export {items}", total=None, counts=False) as progress:
            for item in _items(client, spec, parent, arguments, skipped):
                writer.write(_pick(item, chosen) if format == "jsonl" and chosen else item)
                progress.advance(done=1)
        writer.close()
    except Exception as error:  # report how far it got, then the error, as one line each
        sys.stdout.flush()
        click.echo(f"partner-api: export stopped after {writer.count} {items}", err=True)
        click.echo(error_line(error), err=True)
        return exit_code(error)
    if sys.stderr.isatty():
        gone = f"; {len(skipped)} user(s) deleted during the export" if skipped else ""
        click.echo(f"exported {writer.count} {items} in {time.monotonic() - started:.1f} s{gone}", err=True)
    return 0


def _pick(item: dict[str, Any], chosen: list[str]) -> dict[str, Any]:
    from ._cells import value_at

    return {column: value_at(item, column) for column in chosen}
