"""docs/awx.md's execution environment files go through `ansible-builder create` with the built tarball.

Runs from .venv after `make build` (`make galaxy`). The two files are taken from the page itself (the fenced
YAML blocks that start with `# execution-environment.yml` and `# requirements.yml`), so the page and what
ansible-builder accepts cannot drift apart. Building the image needs a container runtime, which is not here.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def files_of_the_page():
    with open(os.path.join(REPO_ROOT, "docs", "awx.md"), encoding="utf-8") as handle:
        blocks = re.findall(r"```yaml\n# (\S+)\n(.*?)```", handle.read(), re.DOTALL)
    return dict(blocks)


def test_the_documented_ee_builds_a_context_with_the_collection(tmp_path):
    tarballs = glob.glob(os.path.join(REPO_ROOT, "build", "zadarma-telephony-*.tar.gz"))
    assert len(tarballs) == 1, "run `make build` first; found %s" % tarballs
    tarball = os.path.basename(tarballs[0])
    files = files_of_the_page()
    assert set(files) >= {"execution-environment.yml", "requirements.yml"}
    for name, text in files.items():
        (tmp_path / name).write_text(text.replace("zadarma-telephony-0.1.0.tar.gz", tarball))
    shutil.copy(tarballs[0], tmp_path)
    definition = yaml.safe_load((tmp_path / "execution-environment.yml").read_text())
    assert "ansible-runner:latest" not in definition["images"]["base_image"]["name"]

    builder = os.path.join(os.path.dirname(sys.executable), "ansible-builder")
    done = subprocess.run([builder, "create", "-v", "3"], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ansible-runner:latest" not in done.stdout + done.stderr
    context = tmp_path / "context"
    assert (context / "_build" / "collections" / tarball).is_file()
    containerfile = next(context / name for name in ("Containerfile", "Dockerfile") if (context / name).is_file())
    steps = containerfile.read_text()
    assert "COPY _build /build" in steps and "ansible-galaxy collection install" in steps
    assert "ghcr.io/ansible-community/community-ee-base" in steps
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements["collections"][0]["name"] == "collections/" + tarball


def test_execution_environment_dependencies_build_a_context(tmp_path):
    """An EE definition built from the collection's meta/execution-environment.yml goes through ansible-builder."""
    with open(os.path.join(REPO_ROOT, "meta", "execution-environment.yml"), encoding="utf-8") as handle:
        declared = yaml.safe_load(handle)["dependencies"]
    dependencies = dict((kind, os.path.join(REPO_ROOT, path)) for kind, path in declared.items())  # relative to the root
    assert all(os.path.isfile(path) for path in dependencies.values()), dependencies
    definition = tmp_path / "execution-environment.yml"
    definition.write_text(yaml.safe_dump({"version": 3, "dependencies": dict(
        dependencies, ansible_core={"package_pip": "ansible-core"}, ansible_runner={"package_pip": "ansible-runner"})}))
    builder = os.path.join(os.path.dirname(sys.executable), "ansible-builder")
    done = subprocess.run([builder, "create", "-f", str(definition), "-c", str(tmp_path / "context")], cwd=tmp_path,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert done.returncode == 0, done.stdout.decode()
    files = {}
    for root, _dirs, names in os.walk(tmp_path / "context"):
        for name in names:
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as handle:
                files[name] = handle.read()
    assert "Containerfile" in files or "Dockerfile" in files, sorted(files)
    assert "requests" in files.get("requirements.txt", ""), sorted(files)
