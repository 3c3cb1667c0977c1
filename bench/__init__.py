"""`make bench`: the site measured against its own ceiling and a Wagtail peer (see bench/run.py)."""
