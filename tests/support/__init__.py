"""Helpers shared by the tests of every app, imported by name; the fixtures stay in conftest.py files."""
