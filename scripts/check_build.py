"""Check the built collection tarball: it ships only what it should, and it installs.

Usage: python3 scripts/check_build.py [BUILD_DIR]   (default: build)

Run with the python of the venv that holds ansible-core (`make build` does).
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

NAMESPACE = "zadarma"
NAME = "telephony"

# What may ship: top-level directories (anything inside them) and top-level files.
ALLOWED_DIRS = {"plugins", "roles", "playbooks", "meta", "docs", "changelogs", "extensions", "examples"}
ALLOWED_FILES = {
    "README.md", "COPYING", "CHANGELOG.rst", "CHANGELOG.md",
    "requirements.txt", "bindep.txt",  # execution-environment dependencies (meta/execution-environment.yml)
    "MANIFEST.json", "FILES.json",  # written by ansible-galaxy
}
REQUIRED = {"MANIFEST.json", "FILES.json", "README.md", "COPYING", "meta/runtime.yml"}
# Never ship these, wherever they are.
FORBIDDEN = [
    "tests", "tests/*", "*/tests/output*", ".venv*", "*/.venv*", "build", "build/*", ".ci", ".ci/*",
    "Makefile", "*.tar.gz", "*__pycache__*", "*.pyc", "*.pytest_cache*", "changelogs/.plugin-cache.yaml",
    "benchmarks*", "scripts*", ".git*", "*/.git*", "requirements-dev.txt", ".ansible-lint",
]


def fail(message):
    print("check_build: FAIL: %s" % message, file=sys.stderr)
    sys.exit(1)


def find_tarball(build_dir):
    candidates = sorted(
        f for f in os.listdir(build_dir) if fnmatch.fnmatch(f, "%s-%s-*.tar.gz" % (NAMESPACE, NAME))
    )
    if len(candidates) != 1:
        fail("expected exactly one %s-%s-*.tar.gz in %s, found %s" % (NAMESPACE, NAME, build_dir, candidates))
    return os.path.join(build_dir, candidates[0])


def check_members(tarball):
    with tarfile.open(tarball, "r:gz") as archive:
        names = [m.name[2:] if m.name.startswith("./") else m.name for m in archive.getmembers()]
        manifest = json.load(archive.extractfile("MANIFEST.json"))
    problems = []
    for name in names:
        top = name.split("/", 1)[0]
        if "/" in name or top in ALLOWED_DIRS:
            if top not in ALLOWED_DIRS:
                problems.append("%s: not under %s" % (name, ", ".join(sorted(ALLOWED_DIRS))))
        elif name not in ALLOWED_FILES and name not in ALLOWED_DIRS:
            problems.append("%s: unexpected top-level file" % name)
        for pattern in FORBIDDEN:
            if fnmatch.fnmatch(name, pattern):
                problems.append("%s: must not ship (matches %r)" % (name, pattern))
                break
    missing = sorted(REQUIRED - set(names))
    if missing:
        problems.append("missing: %s" % ", ".join(missing))
    info = manifest["collection_info"]
    if (info["namespace"], info["name"]) != (NAMESPACE, NAME):
        problems.append("MANIFEST.json names %s.%s" % (info["namespace"], info["name"]))
    if problems:
        fail("the tarball's contents are wrong:\n  " + "\n  ".join(problems))
    return names, info


def check_install(tarball, info):
    bin_dir = os.path.dirname(sys.executable)
    galaxy = os.path.join(bin_dir, "ansible-galaxy")
    if not os.path.exists(galaxy):
        galaxy = shutil.which("ansible-galaxy") or fail("ansible-galaxy not found")
    tmp = tempfile.mkdtemp(prefix="zadarma-build-check-")
    try:
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
        run = subprocess.run(
            [galaxy, "collection", "install", "--offline", "--no-deps", "-p", tmp, tarball],
            capture_output=True, text=True, env=env, check=False,
        )
        if run.returncode != 0:
            fail("ansible-galaxy collection install failed (%d):\n%s%s" % (run.returncode, run.stdout, run.stderr))
        installed = os.path.join(tmp, "ansible_collections", NAMESPACE, NAME)
        for required in ("MANIFEST.json", "meta/runtime.yml"):
            if not os.path.exists(os.path.join(installed, required)):
                fail("installed collection lacks %s" % required)
        run = subprocess.run(
            [galaxy, "collection", "verify", "--offline", "-p", tmp, "%s.%s" % (NAMESPACE, NAME)],
            capture_output=True, text=True, env=dict(env, ANSIBLE_COLLECTIONS_PATH=tmp), check=False,
        )
        if run.returncode != 0:
            fail("ansible-galaxy collection verify --offline failed (%d):\n%s%s"
                 % (run.returncode, run.stdout, run.stderr))
        run = subprocess.run(
            [galaxy, "collection", "list", "-p", tmp, "--format", "json"],
            capture_output=True, text=True, env=dict(env, ANSIBLE_COLLECTIONS_PATH=tmp), check=False,
        )
        listed = {}
        for collections in json.loads(run.stdout or "{}").values():
            listed.update(collections)
        fqcn = "%s.%s" % (NAMESPACE, NAME)
        if listed.get(fqcn, {}).get("version") != info["version"]:
            fail("ansible-galaxy collection list does not show %s %s: %s" % (fqcn, info["version"], listed))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    build_dir = argv[0] if argv else "build"
    tarball = find_tarball(build_dir)
    names, info = check_members(tarball)
    check_install(tarball, info)
    files = [n for n in names if n not in ("MANIFEST.json", "FILES.json")]
    tops = sorted({n.split("/", 1)[0] for n in files})
    print("check_build: OK: %s (%s %s.%s, %d entries: %s) installs and verifies offline"
          % (tarball, info["version"], NAMESPACE, NAME, len(names), ", ".join(tops)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
