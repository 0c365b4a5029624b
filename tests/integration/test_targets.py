"""Run every integration target (a role under tests/integration/targets/) against a fresh simulator."""

from __future__ import annotations

import os

import pytest

from conftest import TARGETS_DIR, assert_no_secrets, output_tail, run_playbook


def _aliases(target):
    path = os.path.join(TARGETS_DIR, target, "aliases")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [line.split("#", 1)[0].strip() for line in handle if line.split("#", 1)[0].strip()]


def _targets():
    if not os.path.isdir(TARGETS_DIR):
        return []
    names = sorted(
        name for name in os.listdir(TARGETS_DIR)
        if os.path.isfile(os.path.join(TARGETS_DIR, name, "tasks", "main.yml"))
    )
    return [
        pytest.param(name, marks=pytest.mark.skip(reason="aliases: disabled")) if "disabled" in _aliases(name)
        else name
        for name in names
    ]


@pytest.mark.parametrize("target", _targets())
def test_target(target, simulator, tmp_path):
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(
        "---\n"
        "- name: Integration target %s\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  roles:\n"
        "    - %s\n" % (target, target),
        encoding="utf-8",
    )
    rc, output = run_playbook(playbook, simulator, verbosity=4, diff=True)
    assert rc == 0, "target %s failed (rc %s); last lines of the output:\n%s\n\nsimulator log:\n%s" % (
        target, rc, output_tail(output), output_tail(simulator.server_log(), 40))
    assert_no_secrets(output, simulator)
