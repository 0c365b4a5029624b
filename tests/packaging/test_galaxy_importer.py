"""Galaxy's importer accepts the built tarball, the way galaxy.ansible.com imports it, offline.

Runs from .venv after `make build` (`make galaxy`): galaxy-importer with its ansible-doc and ansible-lint
checks on, ansible-test off (it would need a container), ansible-lint offline. Every warning or error the
importer logs fails the test.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONFIG = """\
[galaxy-importer]
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
RUN_ANSIBLE_TEST = False
ANSIBLE_TEST_LOCAL_IMAGE = False
LOCAL_IMAGE_DOCKER = False
CHECK_CHANGELOG = True
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tarballs = glob.glob(os.path.join(REPO_ROOT, "build", "zadarma-telephony-*.tar.gz"))
    assert len(tarballs) == 1, "run `make build` first; found %s" % tarballs
    work = tmp_path_factory.mktemp("galaxy")
    config = work / "galaxy-importer.cfg"
    config.write_text(CONFIG)
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=str(config), HOME=str(work), ANSIBLE_LOCAL_TEMP=str(work / "tmp"))
    done = subprocess.run([sys.executable, "-m", "galaxy_importer.main", tarballs[0], "--print-result"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=900, check=False)
    return done


def test_the_importer_accepts_the_tarball(imported):
    assert imported.returncode == 0, imported.stdout[-4000:] + imported.stderr[-4000:]


def test_the_importer_logs_no_warning_or_error(imported):
    log = imported.stdout + imported.stderr
    problems = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR")) or "ERROR:" in line]
    assert not problems, "\n".join(problems)


def test_every_module_and_role_has_its_docs_imported(imported):
    result = json.loads(imported.stdout[imported.stdout.index("{"):])
    contents = {(item["content_type"], item["name"]) for item in result["contents"]}
    modules = {os.path.basename(path)[:-3] for path in glob.glob(os.path.join(REPO_ROOT, "plugins", "modules", "*.py"))
               if not os.path.basename(path).startswith("_")}
    roles = set(os.listdir(os.path.join(REPO_ROOT, "roles")))
    assert {("module", name) for name in modules} <= contents
    assert {("role", name) for name in roles} <= contents
    docs = {entry["content_name"]: entry for entry in result["docs_blob"]["contents"]}
    for name in modules:
        assert docs[name]["doc_strings"]["doc"]["options"], name
