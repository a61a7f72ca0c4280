"""`partner-api completion SHELL`: the completion script of bash, zsh or fish (click's own protocol), which
completes commands, options, choices and the profile names of the config file."""

from __future__ import annotations

import click

__all__ = ["COMPLETE_VAR", "SHELLS", "completion_command"]

COMPLETE_VAR = "_PARTNER_API_COMPLETE"
"""The variable click's completion protocol sets when the shell asks for completions."""

SHELLS = {
    "bash": 'eval "$(partner-api completion bash)" in ~/.bashrc',
    "zsh": 'eval "$(partner-api completion zsh)" in ~/.zshrc',
    "fish": "partner-api completion fish > ~/.config/fish/completions/partner-api.fish",
}


def completion_command() -> click.Command:
    """The `completion` command."""

    def callback(shell: str) -> int:
        from click.shell_completion import get_completion_class

        root = click.get_current_context().find_root().command  # the whole command line, as this run built it
        completion = get_completion_class(shell)
        assert completion is not None
        click.echo(completion(root, {}, "partner-api", COMPLETE_VAR).source())  # the program shells complete
        return 0

    return click.Command(
        "completion",
        params=[click.Argument(["shell"], type=click.Choice(list(SHELLS)))],
        callback=callback,
        help="Print the completion script of SHELL: "
        + "; ".join(f"{shell}: {how}" for shell, how in SHELLS.items())
        + ". It completes commands, options, choices and --profile names.",
    )
