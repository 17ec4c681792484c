"""Hostile output paths (issue 14, cases 2, 9 and 10): a device, a FIFO or a symbolic link is
never replaced by a regular file; temporary files a killed run left behind are removed by the
next write; a folder that cannot be created is a one-line error.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
from chokemap.graph.core.errors import DataError
from chokemap.graph.io.files import TMP_PREFIX, open_atomic, sweep, write_atomic

TINY = str(Path(__file__).parents[1] / "data" / "tiny.ttl")


def test_a_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("old\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_atomic(link, "new\n")
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.read_text() == "new\n"


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "link.ttl"
    link.symlink_to(tmp_path / "later.ttl")
    write_atomic(link, "x\n")
    assert link.is_symlink()
    assert (tmp_path / "later.ttl").read_text() == "x\n"


def test_a_fifo_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()), daemon=True)
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got == ["through the pipe\n"]


def _null_device(path: Path) -> Path:
    """A character device like /dev/null, made in a test folder (root only)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")
    return path


def test_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    device = _null_device(tmp_path / "null")
    write_atomic(device, "gone\n")
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    link = tmp_path / "stdout"  # like /dev/stdout: a link to a device
    link.symlink_to(device)
    write_atomic(link, "gone\n")
    assert link.is_symlink()
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_dev_null_through_the_cli_stays_a_device(tmp_path: Path) -> None:
    device = _null_device(tmp_path / "null")
    result = CliRunner().invoke(cli, ["--data", TINY, "export", "--format", "ttl", "-o", str(device)],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_leftovers_of_a_killed_run_are_swept_by_the_next_write(tmp_path: Path) -> None:
    # a run killed with -9 mid-write: its temporary file stays
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parents[2])!r}); import cli, os\n"
              "from chokemap.graph.io.files import open_atomic\n"
              f"with open_atomic({str(tmp_path / 'out.ttl')!r}) as fh:\n"
              "    fh.write('x' * 100000); fh.flush(); os.kill(os.getpid(), 9)\n")
    subprocess.run([sys.executable, "-c", script], check=False)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert len(left) == 1
    old = time.time() - 120
    os.utime(left[0], (old, old))
    live = tmp_path / f"{TMP_PREFIX}{os.getpid()}-abc-other.ttl"  # a live run's: kept
    live.write_text("busy")
    os.utime(live, (old, old))
    write_atomic(tmp_path / "out.ttl", "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.ttl", live.name])


def test_sweep_keeps_fresh_files_and_drops_abandoned_ones(tmp_path: Path) -> None:
    fresh = tmp_path / f"{TMP_PREFIX}999999999-a-x.ttl"
    fresh.write_text("")
    assert sweep(tmp_path) == []  # its writer may be on another machine, still writing
    assert sweep(tmp_path, now=time.time() + 2 * 24 * 3600) == [fresh]


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), open_atomic(tmp_path / "out.ttl") as fh:
        fh.write("half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_export_csv_into_a_folder_it_cannot_create_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300)  # the name is too long for the file system
    result = CliRunner().invoke(cli, ["--data", TINY, "export", "--format", "csv", "-o", str(target)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot create the folder")
    assert result.output.count("\n") == 1


def test_writing_into_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="it is a folder"):
        write_atomic(tmp_path, "x")


def test_dev_stdout_into_a_pipe_is_written_through() -> None:
    cli_py = Path(__file__).parents[2] / "cli.py"
    run = subprocess.run([sys.executable, str(cli_py), "--no-cache", "--data", TINY, "export", "--format", "ttl",
                          "-o", "/dev/stdout"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("@prefix cm: <https://chokemap.org/ns#> .")
    assert run.stdout.rstrip().endswith("wrote /dev/stdout (ttl): 20 nodes, 24 edges, 105 triples")
