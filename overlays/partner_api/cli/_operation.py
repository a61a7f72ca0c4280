"""One command per operation of the spec: an option per request field, the output format, `--all` for a paged
list, and a confirmation (or `--yes`) for an operation the spec marks `x-destructive: true`."""

from __future__ import annotations

import sys
from typing import Any

import click

from . import _spec
from ._exit import OTHER, UsageProblem, error_line, exit_code
from ._options import Option, SectionedCommand, field_params, output_option, selected_arguments, settings, yes_option

__all__ = ["confirm_destructive", "operation_command"]


class _OperationCommand(SectionedCommand):
    """A command whose help text is the operation's summary and description from the spec."""

    def __init__(self, *args: Any, spec: _spec.OperationSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec

    def _load_help(self) -> None:
        if self.help is None:
            _tag, summary, description = _spec.describe_operation(self.spec)
            self.help = "\n\n".join(part for part in (summary, description) if part) or self.spec.name
            verb = "read: retried on transient errors" if self.spec.safe_to_retry else "change: never sent twice"
            self.help += f"\n\nPOST /partner/v2/{self.spec.name} ({verb})."
            if self.spec.destructive:
                self.help += " It deletes or resets data: asks first on a terminal; --yes to skip the question."

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._load_help()
        super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        self._load_help()
        return super().get_short_help_str(limit)


def operation_command(spec: _spec.OperationSpec) -> click.Command:
    """The command of one operation: an option per request field (wire names), output options."""

    def callback(output: str, raw: bool, all_pages: bool = False, yes: bool = False, **values: Any) -> int:
        arguments = selected_arguments(spec.fields, values)
        return _run(spec, arguments, output, raw=raw, all_pages=all_pages, yes=yes)

    own: list[click.Parameter] = [
        output_option(),
        Option(["--raw"], is_flag=True, help="Print the whole answer as JSON (with `result`, `next_cursor`)."),
    ]
    if spec.pagination is not None:
        own.append(
            Option(
                ["--all", "all_pages"], is_flag=True,
                help=f"Every page: follows --{spec.pagination.cursor.replace('_', '-')} to the last one "
                "(JSON Lines and CSV are written as the pages arrive).",
            )
        )  # fmt: skip
    if spec.destructive:
        own.append(yes_option(spec))
    return _OperationCommand(
        spec.command, params=field_params(spec.command, spec, spec.fields, own), callback=callback, spec=spec
    )


class NotConfirmed(click.ClickException):
    """The operator answered no: nothing was sent (exit 1)."""

    exit_code = OTHER


def confirm_destructive(spec: _spec.OperationSpec, what: str, yes: bool) -> None:
    """Ask before a destructive operation (on a terminal), or require `--yes` (without one)."""
    if yes:
        return
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageProblem(
            f"{spec.command} deletes or resets data ({spec.name}): add --yes to confirm (there is no terminal to ask "
            "on); nothing was sent"
        )
    if not click.confirm(f"{what}: {spec.summary.rstrip('.')}. This cannot be undone. Go ahead?", err=True):
        raise NotConfirmed("not confirmed: nothing was sent")


def _described(spec: _spec.OperationSpec, arguments: dict[str, Any]) -> str:
    given = {field.python_name: field.wire_name for field in spec.fields}
    options = " ".join(f"--{given[name].replace('_', '-')} {value}" for name, value in arguments.items())
    return f"{spec.command} {options}".strip()


def _run(
    spec: _spec.OperationSpec, arguments: dict[str, Any], output: str, *, raw: bool, all_pages: bool, yes: bool
) -> int:
    from ._clients import sync_client
    from ._output import ItemWriter, emit, payload

    if all_pages and raw:
        raise UsageProblem("--all and --raw do not go together: --raw prints one answer")
    client = sync_client(settings())
    count = 0
    try:
        with client:
            if spec.destructive:
                confirm_destructive(spec, _described(spec, arguments), yes)
            if all_pages:
                assert spec.pagination is not None
                writer = ItemWriter(output, spec.payload_model)
                for item in getattr(client, f"iter_{spec.pagination.items}")(**arguments):
                    writer.write(item.to_dict())
                    count += 1
                writer.close()
                return 0
            response = getattr(client, spec.method)(**arguments)
    except click.ClickException:
        raise
    except Exception as error:  # every failure ends the command with its class's exit status and one line
        sys.stdout.flush()
        if count:
            click.echo(f"partner-api: stopped after {count} {spec.payload}", err=True)
        if settings().debug:
            import traceback

            traceback.print_exc()
        click.echo(error_line(error), err=True)
        return exit_code(error)
    envelope = response.to_dict()
    if envelope.get("error") == "":  # the model's default for an absent `error`, not something the API sent
        del envelope["error"]
    if raw:
        emit(envelope, "json")
        return 0
    emit(payload(envelope, spec), output, spec)
    _more_pages(spec, envelope)
    return 0


def _more_pages(spec: _spec.OperationSpec, envelope: dict[str, Any]) -> None:
    """On a terminal, say that a page is not the last (piped, stderr stays for errors)."""
    if spec.pagination is None or not sys.stderr.isatty():
        return
    cursor = envelope.get(spec.pagination.next_cursor)
    if cursor:
        flag = "--" + spec.pagination.cursor.replace("_", "-")
        click.echo(f"partner-api: more {spec.payload} follow: {flag} {cursor} for the next page, --all for every page",
                   err=True)  # fmt: skip
