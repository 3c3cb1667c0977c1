"""nginx with the site's own file (docs/nginx.conf) run unprivileged: the containers' addresses
become loopback ones, and its pid, logs and temporary files stay in one folder."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE_CONF = ROOT / "docs" / "nginx.conf"
WEB = "max_fails=1 fail_timeout=5s;"


def nginx_path():
    """nginx's path, or None when it is not installed."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def write_config(folder, *, port, web, store, user=None):
    """Write `folder`/nginx.conf: nginx on 127.0.0.1:`port` in front of the `web` addresses
    ("127.0.0.1:8001" or "unix:/path") and the object store at `store`; `user` for its workers."""
    folder = Path(folder)
    site = SITE_CONF.read_text()
    replacements = {
        f"    server web:8000 {WEB}": "\n".join(f"    server {address} {WEB}" for address in web),
        "    server objectstore:5000;": f"    server {store};",
        "    listen 80;": f"    listen 127.0.0.1:{port};",
        "/var/log/nginx/": f"{folder}/",
    }
    for old, new in replacements.items():
        if old not in site:
            raise RuntimeError(f"docs/nginx.conf no longer has {old.strip()!r}; update bench/nginx.py")
        site = site.replace(old, new)
    (folder / "site.conf").write_text(site)
    temp = folder / "tmp"
    temp.mkdir(exist_ok=True)
    (folder / "nginx.conf").write_text(
        f"""{f"user {user};" if user else ""}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/site.conf;
}}
"""
    )


def checked_command(nginx, folder):
    """The command that runs nginx in the foreground with `folder`'s configuration, once nginx accepts it."""
    command = [nginx, "-p", str(folder), "-c", str(Path(folder) / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
    if checked.returncode:
        raise RuntimeError(f"nginx refuses the configuration:\n{checked.stderr}")
    return [*command, "-g", "daemon off;"]
