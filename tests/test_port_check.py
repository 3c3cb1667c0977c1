"""`make run` and `make serve` find out whether their port is free before any set-up, and say so."""

import socket
import subprocess
import sys
from pathlib import Path

from tests.test_make_targets import recipe

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "port_free.py"


def _check(port):
    return subprocess.run([sys.executable, str(SCRIPT), "127.0.0.1", str(port)], capture_output=True, text=True)


def test_a_free_port_passes_quietly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = _check(port)
    assert done.returncode == 0, done.stderr


def test_a_taken_port_stops_with_a_clear_message_and_a_way_out():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        done = _check(port)
    assert done.returncode != 0
    assert f"127.0.0.1:{port} is already in use" in done.stderr
    assert f"PORT={port + 1}" in done.stderr


def test_make_run_checks_the_port_before_setting_up_and_uses_it_everywhere():
    text = (ROOT / "Makefile").read_text()
    assert "PORT ?= 8000" in text
    prerequisites = next(line for line in text.splitlines() if line.startswith("run:")).split()[1:]
    assert prerequisites.index("port-free") < prerequisites.index("setup")
    commands = recipe("run")
    assert any("PORT=$(PORT)" in command and "bin/dev" in command for command in commands)
    assert 'runserver "${DEV_ADDRESS:-127.0.0.1:${PORT:-8000}}"' in (ROOT / "bin" / "dev").read_text()
    assert any("SITE_URL=http://127.0.0.1:$(PORT)" in command and "seed_demo" in command for command in commands)
    assert any("port_free.py 127.0.0.1 $(PORT)" in command for command in recipe("port-free"))


def test_make_serve_checks_the_port_first_and_binds_it():
    text = (ROOT / "Makefile").read_text()
    prerequisites = next(line for line in text.splitlines() if line.startswith("serve:")).split()[1:]
    assert prerequisites[0] == "port-free"
    assert any("127.0.0.1:$(PORT)" in command and "bin/serve" in command for command in recipe("serve"))
