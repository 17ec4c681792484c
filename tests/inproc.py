"""Run the command line in this process, as ``python cli.py ARGS`` would, for the data tests that
ask many questions (a new interpreter per question cost about half a second each)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

from click.testing import CliRunner

from chokemap.cli import cli


def run(args: Sequence[str], check: bool = False) -> subprocess.CompletedProcess[str]:
    """The exit code, stdout and stderr of ``chokemap ARGS``; a crash is raised, not hidden."""
    res = CliRunner().invoke(cli, list(args), prog_name="chokemap")
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    proc = subprocess.CompletedProcess(["chokemap", *args], res.exit_code, res.stdout, res.stderr)
    if check and res.exit_code:
        raise subprocess.CalledProcessError(res.exit_code, proc.args, res.stdout, res.stderr)
    return proc
