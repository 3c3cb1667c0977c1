"""This checkout's own secret key for development, kept in a git-ignored file.

No key is ever committed: `make setup` (or the first start with DJANGO_DEBUG=1) makes one, and
the settings read it only while DEBUG is on. Production always sets DJANGO_SECRET_KEY.
"""

import os
import secrets
import sys
from pathlib import Path

KEY_FILE = Path(__file__).resolve().parent.parent / ".dev-secret-key"


def development_secret_key(path=KEY_FILE):
    """The key in `path`, made there first if there is none (readable by its owner only).

    The new key is written aside and linked into place, so processes starting at once all end up
    with the one key that won, never with a half-written file."""
    path = Path(path)
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
        path.unlink()
    draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(50) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()


if __name__ == "__main__":
    development_secret_key(Path(sys.argv[1]) if len(sys.argv) > 1 else KEY_FILE)
