"""Whether a server could listen on HOST:PORT: `make run` and `make serve` ask before any set-up.

    python3 bin/port_free.py 127.0.0.1 8000

Exits 0 when the port is free; otherwise says who to ask and how to pick another, and exits 1.
Standard library only: it runs before the virtualenv exists.
"""

import errno
import socket
import sys


def port_free(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As servers do: a connection of a stopped server still closing does not hold the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def main(argv):
    host, port = argv[1], int(argv[2])
    if port_free(host, port):
        return 0
    print(
        f"{host}:{port} is already in use (another server is running there).\n"
        f"Stop it, or pick another port: make run PORT={port + 1}  (or make serve PORT={port + 1})",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
