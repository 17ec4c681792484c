"""The README's examples are real: every ```console block is run and its output compared.

A block holds commands (lines starting with ``$ chokemap``), each followed by its exact
output.  All the README's commands run in order in one scratch folder, so a file one
example writes (``eto.ttl``) is there for the next; ``../shared/eto`` is ETO's dataset
beside the project.  Examples pin ``--as-of`` so their output does not depend on today.
"""

from __future__ import annotations

import contextlib
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"


def examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs, in README order."""
    out: list[list[str]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("$ chokemap "):
                current = [line[len("$ chokemap "):]]
                out.append(current)
            elif current is not None:
                current.append(line)
    return [(c[0], "\n".join(c[1:]).rstrip()) for c in out]


def needs_eto(command: str) -> bool:
    return "../shared/eto" in command or "eto.ttl" in command


def run_example(command: str, workdir: Path) -> str:
    """Run one README command in ``workdir`` and return its output as the README shows it."""
    args = shlex.split(command.replace("../shared/", f"{SHARED}/"))
    with contextlib.chdir(workdir):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    text = "\n".join(line.rstrip() for line in result.output.rstrip().splitlines())
    return text.replace(f"{SHARED}/", "../shared/")


def test_the_readme_has_examples() -> None:
    assert len(examples(README.read_text(encoding="utf-8"))) >= 10


def test_readme_examples_print_what_the_readme_says(tmp_path: Path) -> None:
    have_eto = (SHARED / "eto" / "inputs.csv").exists()
    failures = []
    for command, expected in examples(README.read_text(encoding="utf-8")):
        if needs_eto(command) and not have_eto:
            continue
        got = run_example(command, tmp_path)
        if got != expected:
            failures.append((command, expected, got))
    if failures:
        command, expected, got = failures[0]
        pytest.fail(f"{len(failures)} README example(s) differ; first: chokemap {command}\n"
                    f"--- README\n{expected}\n--- actual\n{got}")
