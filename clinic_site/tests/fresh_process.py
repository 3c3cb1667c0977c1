"""Settings are read once, at start: only a new Python process shows what an environment makes of them."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def python_in_project(*args, env, timeout=60):
    """`python *args` run in the project folder with exactly `env`; the finished process."""
    return subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout
    )
