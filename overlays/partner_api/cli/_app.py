"""The click application: one command per operation built at run time from `_spec`, plus export, bulk,
completion and sandbox. Help text comes from the spec's descriptions in the generated facts."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import click

from .._version import __version__
from . import _spec
from ._exit import INTERRUPTED, USAGE, UsageProblem, error_line, exit_code
from ._names import HELP_FLAGS, check_flags, field_flag, param_name
from ._values import from_text

__all__ = ["run_app"]

_PROG = "partner-api"
_COMPLETE_VAR = "_PARTNER_API_COMPLETE"
_OUTPUTS = ("json", "table")
_TOOLS = {
    "export": "Every item of a list operation, page by page, as JSONL or CSV on stdout.",
    "bulk": "One call of an operation per input row (CSV/JSONL): concurrent, journaled, resumable.",
    "check-spec": "Compare the live API's answers with the spec (read-only); exit 1 when they differ.",
    "completion": "Print the shell completion script (bash or zsh).",
    "sandbox": "Run a local Partner API sandbox server (needs the sandbox extra).",
}


def profile_option() -> click.Option:
    return click.Option(
        ["--profile"],
        envvar="PARTNER_API_PROFILE",
        default=None,
        metavar="NAME",
        help="Credentials from [profiles.NAME] of ~/.config/partner-api/config.toml "
        "(default: PARTNER_API_BASE_URL, PARTNER_API_PROJECT_ID, PARTNER_API_PRIVATE_KEY).",
    )


class _FieldOption(click.Option):
    """An option for a request field; its help is the spec's description, read when help is shown."""

    def __init__(self, *args: Any, describe: Callable[[], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe = describe

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.help is None:
            self.help = self._describe()
        return super().get_help_record(ctx)


class _JsonType(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A JSON object given inline or as `@file` (`@-`: standard input)."""

    name = "JSON|@FILE"

    def __init__(self, field: _spec.FieldSpec) -> None:
        self.field = field

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return from_text(self.field, value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def field_params(
    command: str, spec: _spec.OperationSpec, fields: Sequence[_spec.FieldSpec], own: Sequence[click.Parameter]
) -> list[click.Parameter]:
    """The options of `fields`, then the command's `own` options; `NameConflict` if two would share a flag."""
    options = [(field, _field_option(spec, field)) for field in fields]
    check_flags(command, spec, own, options)
    return [option for _field, option in options] + list(own)


def _field_option(spec: _spec.OperationSpec, field: _spec.FieldSpec) -> click.Option:
    flag = field_flag(field)
    describe = lambda: _field_help(spec, field)  # noqa: E731
    common: dict[str, Any] = {"required": field.required, "describe": describe, "default": None}
    if field.kind == "bool":
        return _FieldOption([f"{flag}/--no-{flag[2:]}", param_name(field)], **common)
    kind: Any
    if field.kind == "int":
        kind = click.IntRange(_int(field.minimum), _int(field.maximum))
    elif field.kind == "float":
        kind = click.FloatRange(field.minimum, field.maximum)
    elif field.kind == "enum":
        kind = click.Choice(field.choices)
    elif field.kind in ("model", "object", "list", "any"):
        kind = _JsonType(field)
    else:
        kind = click.STRING
    return _FieldOption([flag, param_name(field)], type=kind, **common)


def _int(bound: float | None) -> int | None:
    return None if bound is None else int(bound)


def _field_help(spec: _spec.OperationSpec, field: _spec.FieldSpec) -> str:
    text = field.description
    if field.wire_name in spec.one_of_required:
        others = " or ".join(f"--{name.replace('_', '-')}" for name in spec.one_of_required)
        text += f" [one of {others} is required]"
    return text.strip()


class _OperationCommand(click.Command):
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

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._load_help()
        super().format_help_text(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        self._load_help()
        return super().get_short_help_str(limit)


def operation_command(spec: _spec.OperationSpec) -> click.Command:
    """The command of one operation: an option per request field (wire names), output options."""

    def callback(profile: str | None, output: str, raw: bool, **values: Any) -> int:
        arguments = {
            field.python_name: values[param_name(field)]
            for field in spec.fields
            if values.get(param_name(field)) is not None
        }
        return _run_operation(spec, arguments, profile, output, raw)

    own: list[click.Parameter] = [
        profile_option(),
        click.Option(
            ["--output", "-o"],
            type=click.Choice(_OUTPUTS),
            default="json",
            show_default=True,
            help="JSON (pretty on a terminal, compact when piped) or a table.",
        ),
        click.Option(["--raw"], is_flag=True, help="Print the whole answer (with `result`), not only its payload."),
    ]
    params = field_params(spec.command, spec, spec.fields, own)
    return _OperationCommand(spec.command, params=params, callback=callback, spec=spec)


def _run_operation(
    spec: _spec.OperationSpec, arguments: dict[str, Any], profile: str | None, output: str, raw: bool
) -> int:
    from ._clients import sync_client
    from ._output import emit, payload

    try:
        with sync_client(profile) as client:
            response = getattr(client, spec.method)(**arguments)
    except Exception as error:  # every failure ends the command with its class's exit status and one line
        click.echo(error_line(error), err=True)
        return exit_code(error)
    envelope = response.to_dict()
    if envelope.get("error") == "":  # the model's default for an absent `error`, not something the API sent
        del envelope["error"]
    emit(envelope if raw else payload(envelope), output)
    return 0


class _Root(click.Group):
    """`partner-api`: operations grouped by the spec's tags, then the tools."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_spec.operations(), *_TOOLS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _TOOLS:
            return _tool(cmd_name)
        spec = _spec.operation_for_command(cmd_name)
        return operation_command(spec) if spec is not None else None

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
            formatter.write_dl(list(_TOOLS.items()))


def _tool(name: str) -> click.Command:
    if name == "export":
        from ._export import export_group

        return export_group()
    if name == "bulk":
        from ._bulk_command import bulk_command

        return bulk_command()
    if name == "check-spec":
        from ._check_spec import check_spec_command

        return check_spec_command()
    if name == "completion":
        return _completion_command()
    return _sandbox_command()


def _completion_command() -> click.Command:
    def callback(shell: str) -> int:
        from click.shell_completion import get_completion_class

        completion = get_completion_class(shell)
        assert completion is not None
        click.echo(completion(_root(), {}, _PROG, _COMPLETE_VAR).source())
        return 0

    return click.Command(
        "completion",
        params=[click.Argument(["shell"], type=click.Choice(["bash", "zsh"]))],
        callback=callback,
        help='Print the completion script: eval "$(partner-api completion bash)" in ~/.bashrc '
        '(zsh: eval "$(partner-api completion zsh)" in ~/.zshrc).',
    )


def _sandbox_command() -> click.Command:
    def callback(args: tuple[str, ...]) -> int:
        from ._sandbox import run

        return run(list(args))

    return click.Command(
        "sandbox",
        params=[click.Argument(["args"], nargs=-1, type=click.UNPROCESSED)],
        callback=callback,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
        help=_TOOLS["sandbox"] + " See: partner-api sandbox --help.",
    )


def _root() -> click.Group:
    return _Root(
        _PROG,
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
            )
        ],
        context_settings={"help_option_names": list(HELP_FLAGS), "max_content_width": 120},
    )


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        click.echo(f"{_PROG} {__version__}")
        ctx.exit(0)


class _StoreWarnings(logging.StreamHandler):  # type: ignore[type-arg]
    """A token store that cannot be reached (one line per outage): the command still works, logging in on its own,
    but the user who set PARTNER_API_TOKEN_STORE must learn that the token is not shared."""


def _show_token_store_warnings() -> None:
    # and, with `strict_answers = false` in the profile, the answer fields read as absent (one line each)
    for name in ("partner_api.token_stores", "partner_api.answers"):
        stores = logging.getLogger(name)
        if not any(isinstance(handler, _StoreWarnings) for handler in stores.handlers):
            handler = _StoreWarnings()  # on sys.stderr
            handler.setLevel(logging.WARNING)
            handler.setFormatter(logging.Formatter(f"{_PROG}: warning: %(message)s"))
            stores.addHandler(handler)


def run_app(args: Sequence[str]) -> int:
    """Run the application on `args`; returns the exit status (errors: one line on stderr)."""
    # The library's retry warnings would break the one-line error rule; the final error says what happened.
    logging.getLogger("partner_api").addHandler(logging.NullHandler())
    logging.getLogger("partner_api").propagate = False
    _show_token_store_warnings()
    root = _root()
    if not args and _COMPLETE_VAR not in os.environ:
        click.echo(root.get_help(click.Context(root, info_name=_PROG)), err=True)
        return USAGE
    try:
        result = root.main(list(args), prog_name=_PROG, complete_var=_COMPLETE_VAR, standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        hint = f" (see: {error.ctx.command_path} --help)" if error.ctx is not None else ""
        click.echo(f"{_PROG}: error: {' '.join(error.format_message().split())}{hint}", err=True)
        return USAGE
    except click.ClickException as error:
        click.echo(f"{_PROG}: error: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    except click.Abort:
        return INTERRUPTED
    except UsageProblem as error:
        click.echo(error_line(error), err=True)
        return USAGE
    except KeyboardInterrupt:
        return INTERRUPTED
    return result if isinstance(result, int) else 0
