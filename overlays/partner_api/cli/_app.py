"""The root command: one command per operation (built at run time from `_spec`), then the tools of `TOOLS`; the
global options; and `run_app`, which turns every failure into one line on stderr and an exit status.

A tool is registered by one line in `TOOLS`: its name, its one-line help, and the module and function that build
its click command (imported only when that command runs or its help is shown).
"""

from __future__ import annotations

import importlib
import os
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import click

from .._profiles import did_you_mean
from .._version import __version__
from . import _spec
from ._completion import COMPLETE_VAR
from ._exit import INTERRUPTED, USAGE, UsageProblem, error_line
from ._names import HELP_FLAGS
from ._options import global_options

__all__ = ["PROG", "TOOLS", "Tool", "run_app"]

PROG = "partner-api"


class Tool(NamedTuple):
    """A command besides the operations: `module:function` builds its click command."""

    help: str
    builder: str


TOOLS: dict[str, Tool] = {
    "whoami": Tool("Check the credentials: project, base URL, token expiry and store (one login at most).",
                   "._whoami:whoami_command"),
    "export": Tool("Every item of a list (users; sessions, devices, purchases of a user or of all users), "
                   "as JSON Lines or CSV.", "._export:export_group"),
    "bulk": Tool("One call of an operation per input row (CSV/JSONL): concurrent, journaled, resumable.",
                 "._bulk_command:bulk_group"),
    "check-spec": Tool("Compare the live API's answers with the spec (read-only); exit 1 when they differ.",
                       "._check_spec:check_spec_command"),
    "completion": Tool("Print the shell completion script (bash, zsh or fish).", "._completion:completion_command"),
    "sandbox": Tool("Run a local Partner API sandbox server (needs the sandbox extra).", "._sandbox:sandbox_command"),
}  # fmt: skip
"""The tools, in the order the help lists them. Register a new command here."""


def _tool(name: str) -> click.Command:
    module, _, function = TOOLS[name].builder.partition(":")
    command: click.Command = getattr(importlib.import_module(module, __package__), function)()
    return command


class _Root(click.Group):
    """`partner-api`: operations grouped by the spec's tags, then the tools."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_spec.operations(), *TOOLS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in TOOLS:
            return _tool(cmd_name)
        spec = _spec.operation_for_command(cmd_name)
        if spec is None:
            return None
        from ._operation import operation_command

        return operation_command(spec)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"no command {name}{did_you_mean(name, self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, spec in _spec.operations().items():
            tag, summary, _description = _spec.describe_operation(spec)
            groups[tag].append((name, summary))
        tags = _spec.tag_descriptions()
        for tag in sorted(groups, key=lambda tag: (list(tags).index(tag) if tag in tags else len(tags), tag)):
            title = f"{tag.capitalize()} ({tags[tag].rstrip('.')})" if tags.get(tag) else tag.capitalize()
            with formatter.section(title):
                formatter.write_dl(sorted(groups[tag]))
        with formatter.section("Jobs and tools"):
            formatter.write_dl([(name, tool.help) for name, tool in TOOLS.items()])


def root() -> click.Group:
    """The `partner-api` command group."""
    return _Root(
        PROG,
        help="The Partner API from the shell: one command per operation (kebab-case of its operationId), "
        "export, and resumable bulk jobs. Credentials: PARTNER_API_* variables or --profile NAME.",
        params=[
            click.Option(
                ["--version"],
                is_flag=True,
                expose_value=False,
                is_eager=True,
                callback=_print_version,
                help="Show the version and exit.",
            ),
            *global_options(),
        ],
        context_settings={"help_option_names": list(HELP_FLAGS), "max_content_width": 120},
    )


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click.echo(f"{PROG} {__version__}")
        ctx.exit(0)


def _usage_line(error: click.UsageError) -> str:
    text = " ".join(error.format_message().split())
    text = text.replace("No such option:", "no option").replace("Did you mean", "did you mean")
    hint = f" (see: {error.ctx.command_path} --help)" if error.ctx is not None else ""
    return f"{PROG}: error: {text}{hint}"


def run_app(args: Sequence[str], prog: str | None = None) -> int:
    """Run the application on `args`; returns the exit status (errors: one line on stderr)."""
    group = root()
    if not args and COMPLETE_VAR not in os.environ:
        click.echo(group.get_help(click.Context(group, info_name=prog or PROG)), err=True)
        return USAGE
    try:
        result = group.main(list(args), prog_name=prog or PROG, complete_var=COMPLETE_VAR, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:  # a group without its subcommand: its help, as is
        click.echo(error.ctx.get_help() if error.ctx is not None else error.format_message(), err=True)
        return USAGE
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        click.echo(_usage_line(error), err=True)
        return USAGE
    except click.ClickException as error:
        click.echo(f"{PROG}: error: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    except click.Abort:
        return INTERRUPTED
    except UsageProblem as error:
        click.echo(error_line(error), err=True)
        return USAGE
    except KeyboardInterrupt:
        return INTERRUPTED
    return result if isinstance(result, int) else 0
