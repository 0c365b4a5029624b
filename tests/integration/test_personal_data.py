"""Personal data of a document group never reaches a job's output: the order_number playbook at -vvv --diff.

The examples inventory declares one document group (the German offices'); the run creates it, uploads its
passport and orders Berlin's number. None of the group's values may appear in the output, whatever the verbosity,
unless a value also names something else in the inventory (the destination Berlin).
"""

from __future__ import annotations

import json
import os

import yaml

from conftest import REPO_ROOT, output_tail, run_playbook

EXAMPLES = os.path.join(REPO_ROOT, "examples")
NOT_PERSONAL = ("salutation", "type_of_id")


def _load(*parts):
    with open(os.path.join(EXAMPLES, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def personal_values():
    """The group's values, without those that also appear elsewhere in the inventory (e.g. the destination)."""
    group = _load("group_vars", "germany.yml")["number_order_documents_group"]
    others = [_load("group_vars", name) for name in os.listdir(os.path.join(EXAMPLES, "group_vars"))]
    others += [_load("host_vars", name) for name in os.listdir(os.path.join(EXAMPLES, "host_vars"))]
    for variables in others:
        variables.pop("number_order_documents_group", None)
    elsewhere = json.dumps(others)
    values = {}
    for field, value in group.items():
        text = str(value)
        if field not in NOT_PERSONAL and len(text) >= 4 and text not in elsewhere:
            values[field] = text
    values["phone digits"] = "".join(char for char in str(group["phone"]) if char.isdigit())
    return values


def test_order_number_at_vvv_with_diff_shows_no_personal_value(simulator, tmp_path):
    values = personal_values()
    assert {"first_name", "last_name", "email", "address", "id_number", "date_of_birth"} <= set(values)
    playbook = tmp_path / "order.yml"
    playbook.write_text(json.dumps([{"import_playbook": "zadarma.telephony.order_number"}]))

    rc, output = run_playbook(playbook, simulator, inventory=os.path.join(EXAMPLES, "inventory.yml"), verbosity=3,
                              diff=True)

    assert rc == 0, output_tail(output)
    created = [entry for entry in simulator.log() if entry["path"] == "/v1/documents/groups/create/"]
    assert len(created) == 1 and created[0]["status"] == 200, "the run did not create the group: it proves nothing"
    shown = sorted(field for field, value in values.items() if value in output)
    lines = [line for line in output.splitlines() if any(value in line for value in values.values())]
    assert not shown, "personal values (%s) in the output:\n%s" % (", ".join(shown), "\n".join(lines[:20]))
