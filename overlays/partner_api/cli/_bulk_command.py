"""`partner-api bulk OPERATION --input F ...`: the click command around `_bulk.BulkJob`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from . import _spec
from ._exit import UsageProblem
from ._names import check_columns

__all__ = ["bulk_command"]


def bulk_command() -> click.Command:
    """The `bulk` command."""
    from ._app import profile_option

    def callback(
        operation: str, input: Path, format: str | None, concurrency: int, journal: Path | None,
        output: Path | None, failed: Path | None, retry_unknown: bool, profile: str | None,
    ) -> int:  # fmt: skip
        return _bulk(operation, input, format, concurrency, journal, output, failed, retry_unknown, profile)

    path = click.Path(path_type=Path, dir_okay=False)
    return click.Command(
        "bulk",
        params=[
            click.Argument(["operation"], type=click.Choice(list(_spec.operations()))),
            click.Option(
                ["--input", "-i"],
                type=click.Path(path_type=Path, dir_okay=False, exists=True),
                required=True,
                help="CSV (header: the fields' names) or JSONL (one object per line).",
            ),
            click.Option(
                ["--format"],
                type=click.Choice(["csv", "jsonl"]),
                default=None,
                help="Input format (default: from the file name).",
            ),
            click.Option(
                ["--concurrency", "-c"],
                type=click.IntRange(1, 256),
                default=8,
                show_default=True,
                help="Most requests in flight; lowered on 429 and raised back as calls succeed.",
            ),
            click.Option(
                ["--journal", "-j"],
                type=path,
                default=None,
                help="Journal file (default: INPUT.journal). A re-run with it skips the rows done.",
            ),
            click.Option(
                ["--output", "-o"],
                type=path,
                default=None,
                help="Append one JSON line per row: its number, status, input, answer or error.",
            ),
            click.Option(
                ["--failed"],
                type=path,
                default=None,
                help="Write the failed and unknown rows here, in the input's format, with an _error "
                "column: re-runnable as --input.",
            ),
            click.Option(
                ["--retry-unknown"],
                is_flag=True,
                help="Send again the rows whose outcome is unknown (in flight when an earlier run died).",
            ),
            profile_option(),
        ],
        callback=callback,
        help="Call OPERATION once per input row (columns/keys are the fields, as the operation's options), "
        "concurrently, recording every row's outcome in a journal. Ctrl-C stops cleanly (exit 130); run the "
        "same command again to resume.",
    )


def _bulk(
    operation: str, input: Path, format: str | None, concurrency: int, journal: Path | None,
    output: Path | None, failed: Path | None, retry_unknown: bool, profile: str | None,
) -> int:  # fmt: skip
    from ._bulk import BulkJob, PassRateLimits, open_outputs
    from ._clients import async_client
    from ._journal import Journal
    from ._rows import RowReader, input_format

    spec = _spec.operation_for_command(operation)
    assert spec is not None
    check_columns(f"bulk {operation}", spec)
    fmt = input_format(input, format)
    reader = RowReader(spec, input, fmt)
    journal_path = journal if journal is not None else input.with_name(input.name + ".journal")
    if failed is not None and failed.resolve() == input.resolve():
        raise UsageProblem("--failed must not be the --input file")
    client = async_client(profile, retry_policy=PassRateLimits())

    async def main() -> int:
        log = Journal(journal_path, spec.name)
        outputs = open_outputs(output, failed, fmt, reader.columns)
        job = BulkJob(spec, client, log, outputs, concurrency=concurrency, retry_unknown=retry_unknown,
                      total=reader.count())  # fmt: skip
        try:
            return await job.run(reader)
        finally:
            await client.aclose()

    from ._tracing import job_span

    with job_span(f"bulk {spec.name}", {"partner_api.operation": spec.name}):  # OTEL_* variables honoured
        return asyncio.run(main())
