"""Commands that only read the code may run in a checkout where nothing is set.

`manage.py check`, `makemigrations` and `help` serve no request, sign nothing and (but for
`makemigrations --check`'s look at the migration history) touch no data, so with neither
DJANGO_DEBUG nor DJANGO_SECRET_KEY in the environment they run on the development defaults, as
`make test` runs them, instead of refusing for want of a production key. Every other command, and
`check --deploy` (which judges the production settings), still refuses an environment that says
nothing: the settings' safe default is untouched.
"""

OFFLINE_COMMANDS = frozenset({"check", "makemigrations", "help", "--help", "-h"})


def use_development_defaults(argv, environ):
    """Turns DEBUG on in `environ` for an offline command given with nothing set; True when it did."""
    command = argv[1] if len(argv) > 1 else "help"
    if command not in OFFLINE_COMMANDS or "--deploy" in argv:
        return False
    if environ.get("DJANGO_DEBUG", "").strip() or environ.get("DJANGO_SECRET_KEY", "").strip():
        return False
    environ["DJANGO_DEBUG"] = "1"
    return True
