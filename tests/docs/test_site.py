"""The built documentation site, opened in headless Chromium: module pages render their options, links work.

Runs from .venv after `make docs` (`make docs-check` runs both): ZADARMA_DOCS_SITE is the site's html
directory. Every page is loaded in Debian's chromium (--dump-dom gives the DOM after rendering), so what is
checked is what a browser shows, not the files Sphinx wrote.
"""

from __future__ import annotations

import concurrent.futures
import glob
import html.parser
import json
import os
import shutil
import subprocess
import urllib.parse

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.environ.get("ZADARMA_DOCS_SITE") or os.path.join(REPO_ROOT, "build", "docs", "html")
# Flags for a root, GPU-less, offline machine (see the machine notes).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
                  "--disable-background-networking", "--disable-sync", "--no-first-run", "--mute-audio"]
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
                 if not os.path.basename(p).startswith("_"))
ROLES = sorted(os.listdir(os.path.join(REPO_ROOT, "roles")))


class Page(html.parser.HTMLParser):
    """The ids, links and option tables of a rendered DOM."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.option_tables = set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "table" and "ansible-option-table" in (attrs.get("class") or "").split():
            self.option_tables += 1


def render(path):
    chromium = shutil.which("chromium")
    done = subprocess.run([chromium] + CHROMIUM_FLAGS + ["--dump-dom", "file://" + path],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0 and "<body" in done.stdout, done.stderr[-2000:]
    page = Page()
    page.feed(done.stdout)
    return page


@pytest.fixture(scope="module")
def site():
    assert shutil.which("chromium"), "chromium is missing: `make chromium` installs it"
    assert os.path.isfile(os.path.join(SITE, "index.html")), "no site in %s: run `make docs`" % SITE
    paths = sorted(p for p in glob.glob(os.path.join(SITE, "**", "*.html"), recursive=True)
                   if "/_" not in p[len(SITE):] and not p.endswith(("search.html", "genindex.html")))
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(paths, pool.map(render, paths)))


def test_every_module_role_and_guide_has_a_page(site):
    expected = ["%s_module.html" % m for m in MODULES] + ["%s_role.html" % r for r in ROLES] + \
               ["guides/%s.html" % os.path.basename(g)[:-3] for g in glob.glob(os.path.join(REPO_ROOT, "docs", "*.md"))]
    missing = [name for name in expected if os.path.join(SITE, name) not in site]
    assert not missing


@pytest.mark.parametrize("module", MODULES)
def test_module_page_renders_its_options_table(site, module):
    page = site[os.path.join(SITE, "%s_module.html" % module)]
    assert page.option_tables >= 1
    docs = json.loads(subprocess.run(["ansible-doc", "-j", "-t", "module", "zadarma.telephony." + module],
                                     capture_output=True, text=True, check=True).stdout)
    options = docs["zadarma.telephony." + module]["doc"]["options"]
    assert options
    missing = [name for name in options if "parameter-%s" % name not in page.ids]
    assert not missing, "options not rendered on the page: %s" % missing


def test_no_internal_link_is_broken(site):
    broken = []
    for path, page in site.items():
        for href in page.links:
            url = urllib.parse.urlsplit(href)
            if url.scheme in ("http", "https", "mailto"):
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(path), urllib.parse.unquote(url.path))) \
                if url.path else path
            if url.scheme == "file":
                target = urllib.parse.unquote(url.path)
            if not os.path.exists(target):
                broken.append("%s: %s (no such file)" % (os.path.relpath(path, SITE), href))
            elif url.fragment and target in site and url.fragment not in site[target].ids:
                broken.append("%s: %s (no such anchor)" % (os.path.relpath(path, SITE), href))
    assert not broken, "\n".join(broken)
