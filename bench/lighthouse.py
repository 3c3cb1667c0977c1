"""Lighthouse 12 (npm) against Debian's Chromium, mobile mode (its default), for one page.

Installed once into bench/.work/lighthouse (git-ignored). Lighthouse 13 wants Node 22; the
machines have Node 20, so the major version is pinned.
"""

import json
import os
import shutil
import subprocess

from bench.wrk_runner import WORK

PACKAGE = "lighthouse@12"
FOLDER = WORK / "lighthouse"
BINARY = FOLDER / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def chromium():
    return os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def ensure():
    """None when Lighthouse can run, else the reason it cannot."""
    if not chromium():
        return "no Chromium found (apt-get install chromium, or set CHROME_PATH)"
    if not shutil.which("npm"):
        return "no npm found (Lighthouse comes from npm)"
    if not BINARY.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--prefix", str(FOLDER), "--no-audit", "--no-fund", "--silent", PACKAGE],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode or not BINARY.exists():
            return f"npm install {PACKAGE} failed: {done.stderr.strip()[-300:]}"
    return None


def scores(url, name, headers=None):
    """{"performance": 100, ...} (0-100), or {"error": "..."}."""
    output = WORK / f"lighthouse-{name}.json"
    output.unlink(missing_ok=True)
    command = [
        str(BINARY),
        url,
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    env = {**os.environ, "CHROME_PATH": chromium()}
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, env=env, check=False)
    if not output.exists():
        return {"error": (done.stderr.strip() or "no report written")[-300:]}
    report = json.loads(output.read_text())
    result = {}
    for key in CATEGORIES:
        score = report["categories"].get(key, {}).get("score")
        result[key] = round(score * 100) if score is not None else None
    failed = [
        audit["id"]
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    result["failed_audits"] = failed
    return result
