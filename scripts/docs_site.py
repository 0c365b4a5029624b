"""Build the collection's HTML documentation site with antsibull-docs and Sphinx, offline.

Usage: ANSIBLE_COLLECTIONS_PATH=<staged collections> python scripts/docs_site.py --dest build/docs
(`make docs` runs it with .venv's python.) The site lands in <dest>/html: one page per module, role and
plugin (antsibull-docs), plus the user guides of docs/*.md (rendered by MyST) under "Guides".

antsibull-docs' own build script runs Sphinx with -W, which turns the unreachable intersphinx inventories
of docs.ansible.com into errors on this offline machine; Sphinx runs here without -W for that reason,
and --fail-on-error keeps the plugin docs themselves strict.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTION = "zadarma.telephony"
BIN = os.path.dirname(sys.executable)


def run(*command, cwd=None):
    print("docs: " + " ".join(command), flush=True)
    subprocess.run(command, cwd=cwd, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--dest", default=os.path.join(ROOT, "build", "docs"))
    dest = os.path.abspath(parser.parse_args().dest)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest, mode=0o755)  # antsibull-docs wants it to exist, writable by its owner only
    os.chmod(dest, 0o755)
    rst = os.path.join(dest, "rst")

    run(os.path.join(BIN, "antsibull-docs"), "sphinx-init", "--use-current", "--squash-hierarchy", "--lenient",
        "--fail-on-error", "--title", "zadarma.telephony", "--dest-dir", dest, COLLECTION)
    run(os.path.join(BIN, "antsibull-docs"), "collection", "--use-current", "--squash-hierarchy", "--fail-on-error",
        "--dest-dir", rst, COLLECTION)

    # The user guides: docs/*.md, rendered by MyST, linked from the collection's index page.
    guides = sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    os.makedirs(os.path.join(rst, "guides"), exist_ok=True)
    for guide in guides:
        shutil.copy(guide, os.path.join(rst, "guides", os.path.basename(guide)))
    with open(os.path.join(rst, "index.rst"), "a", encoding="utf-8") as index:
        index.write("\nGuides\n------\n\n.. toctree::\n   :maxdepth: 1\n\n")
        index.writelines("   guides/%s\n" % os.path.basename(guide)[:-3] for guide in guides)
    with open(os.path.join(dest, "conf.py"), "a", encoding="utf-8") as conf:
        conf.write("\n# Added by scripts/docs_site.py: the Markdown guides.\n"
                   "extensions.append('myst_parser')\n"
                   "source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}\n"
                   "myst_heading_anchors = 3\n"
                   "intersphinx_mapping = {}  # offline: docs.ansible.com is not reachable\n")

    run(os.path.join(BIN, "sphinx-build"), "-M", "html", rst, dest, "-c", dest, "--keep-going", "-q", cwd=dest)
    print("docs: site in %s" % os.path.join(dest, "html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
