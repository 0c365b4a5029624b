"""Every module's EXAMPLES run unchanged against the simulator, in check mode and for real; the execution environment definition builds."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest
import yaml

from conftest import REPO_ROOT, output_tail, run_playbook

MODULES_DIR = os.path.join(REPO_ROOT, "plugins", "modules")
MODULES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith(".py"))


def examples_of(module):
    """The EXAMPLES string of a module, read without importing it."""
    with open(os.path.join(MODULES_DIR, module + ".py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES":
            return node.value.value
    raise AssertionError("%s has no EXAMPLES" % module)


@pytest.mark.parametrize("module", MODULES)
def test_examples_run_unchanged_against_the_simulator(module, simulator, tmp_path):
    tasks = yaml.safe_load(examples_of(module))
    assert tasks, "%s: EXAMPLES is empty" % module
    # Files the upload examples name, in the directory the modules run in (the playbook's working directory).
    make_files = ("open('passport.pdf', 'wb').write(b'%PDF-1.4\\n% example\\n'); "
                  "open('company_letter.png', 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n example')")
    prepare = [{"name": "Make the files the examples upload", "ansible.builtin.command": {
        "argv": ["{{ ansible_playbook_python }}", "-c", make_files]}, "changed_when": False, "check_mode": False}]
    playbook = tmp_path / "examples.yml"
    playbook.write_text(yaml.safe_dump([{"name": "EXAMPLES of %s" % module, "hosts": "localhost",
                                         "gather_facts": False, "tasks": prepare + tasks}]))

    # As the guide advises: check mode first (it writes nothing), then for real, then a re-run that changes nothing.
    rc, output = run_playbook(playbook, simulator, verbosity=1, check=True)
    assert rc == 0, output_tail(output)
    assert not simulator.writes(), "EXAMPLES of %s write in check mode" % module
    rc, output = run_playbook(playbook, simulator, verbosity=1)
    assert rc == 0, output_tail(output)
    writes = len(simulator.writes())
    again_rc, again = run_playbook(playbook, simulator, verbosity=1)
    assert again_rc == 0 and "changed=0" in again, output_tail(again)
    assert len(simulator.writes()) == writes, "EXAMPLES of %s write again on a re-run" % module


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
