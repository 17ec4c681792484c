"""The README's examples are real: every ```console block is run and its output compared.

A block holds one or more commands (lines starting with ``$ chokemap``), each followed by
its exact output.  Examples pin ``--as-of`` so the output does not depend on today.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli

README = Path(__file__).parent.parent / "README.md"


def examples() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith("$ chokemap "):
                current = [line[len("$ chokemap "):]]
                out.append(current)  # type: ignore[arg-type]
            elif current is not None:
                current.append(line)
    return [(c[0], "\n".join(c[1:]).rstrip()) for c in out]  # type: ignore[misc]


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize(("command", "expected"), examples(), ids=[c for c, _ in examples()])
def test_readme_example_output(command: str, expected: str) -> None:
    result = CliRunner().invoke(cli, shlex.split(command), catch_exceptions=False)
    got = "\n".join(line.rstrip() for line in result.output.rstrip().splitlines())
    assert got == expected
