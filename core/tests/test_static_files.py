"""Collected CSS and JS leave out the sources' comments, and nothing else."""

import hashlib
import shutil
import subprocess
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from core.static_files import compact, compact_css, compact_js

NODE = shutil.which("node")


def test_css_comments_go_and_strings_that_look_like_comments_stay():
    source = 'a { content: "/* kept */"; } /* dropped */\nb { font-size: 1rem; } /* 16px */\n/*! licence */\n'
    assert compact_css(source) == 'a { content: "/* kept */"; }\nb { font-size: 1rem; }\n/*! licence */\n'


def test_js_drops_only_comments_that_fill_whole_lines():
    source = (
        "/* Why this script exists,\n * on two lines. */\n(function () {\n"
        "  // a note\n  var url = 'http://example.org'; // kept: code before it\n"
        "  /* a */ run(); /* b */\n/*! licence */\n}());\n"
    )
    assert compact_js(source) == (
        "(function () {\n  var url = 'http://example.org'; // kept: code before it\n"
        "  /* a */ run(); /* b */\n/*! licence */\n}());\n"
    )


@pytest.mark.parametrize("source", ["var a = `\n// inside a template\n`;\n", "var a = 'one \\\n// two';\n"])
def test_js_where_a_line_could_sit_inside_a_string_is_left_alone(source):
    assert compact_js(source) == source


def test_only_the_sites_own_files_are_compacted():
    assert compact("admin/css/base.css", "/* admin */\na{}\n") == "/* admin */\na{}\n"
    assert compact("css/site.css", "/* ours */\na{}\n") == "a{}\n"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One collectstatic run (a few seconds of compressing) read by each test of this module."""
    folder = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "core.static_files.CompactStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=folder, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return folder


def test_collected_files_are_smaller_hashed_and_compressed(collected):
    source = Path(settings.BASE_DIR) / "static"
    for path in [*source.glob("css/*.css"), *source.glob("js/*.js")]:
        relative = path.relative_to(source)
        [hashed] = [
            p for p in (collected / relative.parent).glob(f"{path.stem}.*{path.suffix}") if p != collected / relative
        ]
        text = hashed.read_text()
        assert text == compact(str(relative), path.read_text())
        assert hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:12] in hashed.name
        assert len(text) < len(path.read_text())
        assert (hashed.parent / (hashed.name + ".gz")).exists()
    admin_css = "admin/css/base.css"
    admin_source = Path(django.__file__).parent / "contrib" / "admin" / "static" / admin_css
    assert (collected / admin_css).read_bytes() == admin_source.read_bytes()


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_collected_scripts_still_parse(collected):
    for script in (collected / "js").glob("*.js"):
        done = subprocess.run([NODE, "--check", str(script)], capture_output=True, text=True)
        assert done.returncode == 0, (script.name, done.stderr)
