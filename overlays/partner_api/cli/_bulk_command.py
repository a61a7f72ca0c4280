"""`partner-api bulk OPERATION --input F ...`: one subcommand per operation (its help lists the columns), around
`_bulk.BulkJob`; `--dry-run` checks every row and prints the bodies that would be sent."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import click

from .._profiles import did_you_mean
from . import _spec
from ._exit import OK, USAGE, UsageProblem, error_text
from ._names import check_columns
from ._options import Option, Seconds, SectionedCommand, field_help, global_options, settings, yes_option
from ._rows import STDIN, RowReader, input_format

__all__ = ["bulk_group"]


class _BulkGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_spec.operations())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _spec.operation_for_command(cmd_name)
        return _bulk_command(spec) if spec is not None else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            hint = did_you_mean(name, self.list_commands(ctx)) or " (see: partner-api bulk --help)"
            raise click.UsageError(f"no operation {name}{hint}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Operations"):
            formatter.write_dl([(name, spec.summary) for name, spec in _spec.operations().items()])


def bulk_group() -> click.Group:
    """The `bulk` command group."""
    return _BulkGroup(
        "bulk",
        help="Call an operation once per input row (CSV or JSONL; the columns or keys are its fields), concurrently, "
        "recording every row's outcome in a journal. Ctrl-C stops cleanly (exit 130); the same command again "
        "resumes. `partner-api bulk OPERATION --help` lists the operation's columns.",
        no_args_is_help=True,
        subcommand_metavar="OPERATION [OPTIONS]",
    )


class _BulkCommand(SectionedCommand):
    """`bulk OPERATION`: its help ends with the columns the input may have."""

    def __init__(self, *args: Any, spec: _spec.OperationSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: list[tuple[str, str]] = []
        for field in self.spec.fields:
            kind = "required; " if field.required else ""
            rows.append((field.wire_name, kind + field_help(self.spec, field, columns=True)))
            if field.kind == "model" and field.model is not None:
                for nested in _spec.nested_fields(field.model):
                    rows.append((f"{field.wire_name}.{nested.wire_name}", nested.description))
        with formatter.section("Columns (CSV header) or keys (JSONL)"):
            formatter.write_dl(rows or [("(none)", "this operation takes no fields: one call per row")])
        formatter.write_paragraph()
        formatter.write_text(
            "An empty cell means not given; a nested object is one JSON column or one column per field "
            "(extra.country); columns starting with _ are ignored."
        )


def _bulk_command(spec: _spec.OperationSpec) -> click.Command:
    def callback(
        input: Path, format: str | None, concurrency: int, journal: Path | None, output: Path | None,
        failed: Path | None, retry_unknown: bool, dry_run: bool, max_outage: float, yes: bool = False,
    ) -> int:  # fmt: skip
        return _bulk(spec, input, format, concurrency, journal, output, failed, retry_unknown, dry_run, max_outage,
                     yes)  # fmt: skip

    path = click.Path(path_type=Path, dir_okay=False)
    params: list[click.Parameter] = [
        Option(["--input", "-i"], type=path, required=True, metavar="FILE",
               help="CSV (header: the fields' names) or JSONL (one object per line); - reads standard input."),
        Option(["--format"], type=click.Choice(["csv", "jsonl"]), default=None,
               help="Input format (default: from the file name; standard input: JSONL if it starts with {)."),
        Option(["--concurrency", "-c"], type=click.IntRange(1, 256), default=8, show_default=True,
               help="Most requests in flight; lowered on 429 and raised back as calls succeed."),
        Option(["--journal", "-j"], type=path, default=None,
               help=f"Journal file (default: INPUT.journal; standard input: {spec.command}.journal here). A re-run "
               "with it skips the rows done."),
        Option(["--output", "-o"], type=path, default=None,
               help="Append one JSON line per row: its line number, status, input, answer or error."),
        Option(["--failed"], type=path, default=None,
               help="Write the failed and unknown rows here, in the input's format, with an _error column: "
               "re-runnable as --input (default: INPUT.failed.csv or .jsonl next to the journal, when a row fails)."),
        Option(["--retry-unknown"], is_flag=True,
               help="Send again the rows whose outcome is unknown (in flight when an earlier run died)."),
        Option(["--dry-run"], is_flag=True,
               help="Check every row and print the request bodies that would be sent (JSON Lines); send nothing."),
        Option(["--max-outage"], type=Seconds(zero=True), default=60.0, show_default=True, metavar="SECONDS",
               help="How long rows wait, trying again with back-off, when the API stops answering mid-job; then "
               "the job stops (exit 7) and the rows not sent stay pending."),
    ]  # fmt: skip
    if spec.destructive:
        params.append(yes_option(spec))
    params += global_options()
    return _BulkCommand(
        spec.command, params=params, callback=callback, spec=spec,
        help=f"{spec.summary} Once per input row: {spec.name}, concurrently, every row's outcome in a journal. "
        "Ctrl-C stops cleanly (exit 130); the same command again resumes.",
    )  # fmt: skip


def _defaults(spec: _spec.OperationSpec, input: Path, fmt: str, journal: Path | None) -> tuple[Path, Path]:
    """The journal and the failed file: INPUT.journal and INPUT.failed.EXT (standard input: in the current
    directory, named after the command)."""
    if journal is None:
        journal = Path(f"{spec.command}.journal") if input == STDIN else input.with_name(input.name + ".journal")
    stem = journal.name.removesuffix(".journal")
    stem = stem.removesuffix(f".{fmt}") if stem.endswith(f".{fmt}") else stem
    return journal, journal.with_name(f"{stem}.failed.{fmt}")


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _bulk(
    spec: _spec.OperationSpec, input: Path, format: str | None, concurrency: int, journal: Path | None,
    output: Path | None, failed: Path | None, retry_unknown: bool, dry_run: bool, max_outage: float, yes: bool,
) -> int:  # fmt: skip
    check_columns(f"bulk {spec.command}", spec)
    data = _read_stdin() if input == STDIN else None
    if input != STDIN and not input.is_file():
        raise UsageProblem(f"--input {input}: no such file")
    fmt = input_format(input, format, data)
    reader = RowReader(spec, input, fmt, data)
    journal_path, default_failed = _defaults(spec, input, fmt, journal)
    if failed is not None and input != STDIN and failed.resolve() == input.resolve():
        raise UsageProblem("--failed must not be the --input file")
    for given, name in ((output, "--output"), (failed, "--failed"), (journal, "--journal")):
        if given is not None and not given.parent.is_dir():
            raise UsageProblem(f"{name} {given}: no directory {given.parent}")
    done = _done_rows(spec, journal_path)
    if dry_run:
        return _dry_run(spec, reader, journal_path, done)
    if spec.destructive:
        from ._operation import confirm_destructive

        confirm_destructive(spec, f"bulk {spec.command}: {reader.total} row(s) from {reader.name}", yes)
    return asyncio.run(_job(spec, reader, fmt, journal_path, output, failed or default_failed, failed is None,
                            concurrency, retry_unknown, max_outage))  # fmt: skip


async def _job(
    spec: _spec.OperationSpec, reader: RowReader, fmt: str, journal_path: Path, output: Path | None, failed: Path,
    failed_is_default: bool, concurrency: int, retry_unknown: bool, max_outage: float,
) -> int:  # fmt: skip
    import httpx

    from ._bulk import BulkJob
    from ._bulk_client import JobRetryPolicy, LoginGate
    from ._bulk_outputs import Outputs
    from ._clients import async_client
    from ._journal import Journal

    gate = LoginGate(httpx.AsyncHTTPTransport())
    client = async_client(settings(), transport=gate, retry_policy=JobRetryPolicy())
    try:
        log = Journal(journal_path, spec.name)
        outputs = Outputs(output, failed, fmt, reader.columns, failed_is_default=failed_is_default)
        job = BulkJob(spec, client, log, outputs, concurrency=concurrency, retry_unknown=retry_unknown,
                      total=reader.total, gate=gate, max_outage=max_outage)  # fmt: skip
        return await job.run(reader)
    finally:
        await client.aclose()
        await gate.aclose()


def _done_rows(spec: _spec.OperationSpec, journal_path: Path) -> set[str]:
    """The rows an existing journal has done; `UsageProblem` for a journal of another job or format, before
    anything is asked or sent."""
    from ._journal import Journal

    if not journal_path.exists() or journal_path.stat().st_size == 0:
        return set()
    contents = Journal.read(journal_path)
    if contents.operation != spec.name:
        raise UsageProblem(
            f"--journal {journal_path}: belongs to a job of {contents.operation}, not {spec.name}; give this job "
            "its own --journal"
        )
    return {key for key, state in contents.states.items() if state == "done"}


def _dry_run(spec: _spec.OperationSpec, reader: RowReader, journal_path: Path, done: set[str]) -> int:
    """Every row checked as the client checks it before sending; the bodies on stdout, nothing sent."""
    from .._request_body import RequestBodyBuilder

    builder = RequestBodyBuilder("error")
    counts = {"send": 0, "bad": 0, "skip": 0}
    for row in reader:
        line: dict[str, Any] = {"line": row.number}
        if row.key in done:
            counts["skip"] += 1
            continue
        try:
            if row.problem is not None or row.arguments is None:
                raise ValueError(row.problem)
            line["body"] = builder.build(spec.name, spec.request_model, row.arguments)
            counts["send"] += 1
        except (TypeError, ValueError) as error:
            line["error"] = _row_error(error)
            counts["bad"] += 1
        sys.stdout.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str) + "\n")
    click.echo(
        f"bulk {spec.command} --dry-run: {counts['send']} row(s) would be sent, {counts['bad']} bad, "
        f"{counts['skip']} done already (journal {journal_path}); nothing was sent",
        err=True,
    )
    return USAGE if counts["bad"] else OK


def _row_error(error: BaseException) -> str:
    return error_text(error, columns=True)
