"""The ``tipguide`` command line: one thin subcommand per pipeline stage.

Subcommands live in sibling modules and are registered here; heavy libraries (torch, chromadb,
gradio) are imported inside the commands that need them, so ``tipguide --help`` is instant.
"""

from __future__ import annotations

import click

from assistant.cli.common import fail, settings_options


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@settings_options
@click.pass_context
def cli(ctx: click.Context, **overrides: object) -> None:
    """tipguide: paragraph-cited answers from UN texts on trafficking in persons and migrant smuggling."""
    from assistant.settings import Settings, apply_offline_env

    apply_offline_env()
    from pydantic import ValidationError

    try:
        ctx.obj = Settings().with_overrides(**overrides)
    except ValidationError as exc:  # a bad TIPGUIDE_* value: one line naming it, no traceback
        err = exc.errors()[0]
        name = "TIPGUIDE_" + str(err["loc"][0]).upper() if err.get("loc") else "a setting"
        fail(f"{name}: {err['msg']}")


def _register() -> None:
    from assistant.cli import corpus_cmds

    for module in (corpus_cmds,):
        for command in module.COMMANDS:
            cli.add_command(command)
    for name in ("index_cmds", "answer_cmds", "eval_cmds", "serve_cmds"):
        try:
            module = __import__(f"assistant.cli.{name}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != f"assistant.cli.{name}":
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="tipguide")
