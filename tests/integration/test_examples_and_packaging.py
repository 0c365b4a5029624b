"""Every module's EXAMPLES run unchanged against the simulator, in check mode and for real."""

from __future__ import annotations

import ast
import os

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
