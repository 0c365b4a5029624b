"""The inventory plugin zadarma.telephony.numbers against the simulator: ansible-inventory and playbooks over its groups.

Every output (at -vvvv) is checked for the secret, Authorization values and signatures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

from conftest import COLLECTIONS_PATH, VENV_BIN, assert_no_secrets, output_tail, run_playbook

OWNED = "442037691880"      # seed: routed to 00001, auto-renewal on, 25 days left
UNROUTED = "12125550199"    # seed: not routed, auto-renewal off, 5 days left
API_PATH = "/v1/direct_numbers/"


def source(tmp_path, **options):
    path = tmp_path / "numbers.zadarma.yml"
    path.write_text(json.dumps(dict(plugin="zadarma.telephony.numbers", **options)))
    return path


def ansible_inventory(simulator, path, *args, env=None):
    """Run ansible-inventory against the staged collection and the simulator; (rc, stdout, stderr)."""
    run_env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "ZADARMA_")))
    run_env.update(ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
                   ANSIBLE_NOCOLOR="1", ANSIBLE_INVENTORY_UNPARSED_FAILED="true")
    run_env.update(simulator.env)
    run_env.update(env or {})
    completed = subprocess.run([os.path.join(VENV_BIN, "ansible-inventory"), "-i", str(path), "-vvvv"] + list(args),
                               env=run_env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
                               check=False)
    assert_no_secrets(completed.stdout + completed.stderr, simulator)
    return completed.returncode, completed.stdout, completed.stderr


def plain(value):
    """ansible-core 2.19+ lists untrusted strings as {"__ansible_unsafe": "..."}; the value itself is wanted here."""
    return value["__ansible_unsafe"] if list(value) == ["__ansible_unsafe"] else value


def api_reads(simulator):
    return [e for e in simulator.log() if e["path"] == API_PATH and e["http_method"] == "GET"]


def test_list_and_graph_with_one_request_each(simulator, tmp_path):
    simulator.set_state(add_numbers=[{"number": "4930100001", "status": "checking", "stop_in_days": -1}])
    path = source(tmp_path, expiring_days=5, keyed_groups=[{"key": "zadarma_country", "prefix": "country"}])

    listing = tmp_path / "list.json"
    rc, out, err = ansible_inventory(simulator, path, "--list", "--output", str(listing))
    assert rc == 0, err
    assert len(api_reads(simulator)) == 1
    listed = json.loads(listing.read_text(), object_hook=plain)
    hostvars = listed["_meta"]["hostvars"]
    assert sorted(hostvars) == sorted([OWNED, UNROUTED, "4930100001"])
    assert set(listed["zadarma"]["hosts"]) == set(hostvars)
    assert listed["zadarma_unrouted"]["hosts"] == sorted([UNROUTED, "4930100001"])
    assert listed["zadarma_routed"]["hosts"] == [OWNED]
    assert listed["zadarma_status_checking"]["hosts"] == ["4930100001"]
    assert sorted(listed["zadarma_expiring"]["hosts"]) == sorted([UNROUTED, "4930100001"])
    assert listed["zadarma_autoprolongation_off"]["hosts"] == [UNROUTED]
    assert listed["country_Germany"]["hosts"] == ["4930100001"]
    unrouted = hostvars[UNROUTED]
    assert unrouted["zadarma_days_left"] == 5 and unrouted["zadarma_sip"] is None
    assert unrouted["zadarma_autoprolongation"] is False and unrouted["zadarma_monthly_fee"] == 3.0

    rc, out, err = ansible_inventory(simulator, path, "--graph")
    assert rc == 0, err
    assert len(api_reads(simulator)) == 2
    assert "@zadarma_unrouted:" in out and "|--%s" % UNROUTED in out


def test_cache_spares_the_api(simulator, tmp_path):
    path = source(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                  cache_connection=str(tmp_path / "cache"), cache_timeout=600)
    for _run in range(3):
        rc, _out, err = ansible_inventory(simulator, path, "--graph")
        assert rc == 0, err
    assert len(api_reads(simulator)) == 1
    # A cache that is gone (expired, or flushed: ansible-inventory has --flush-cache only from 2.19) means one read.
    shutil.rmtree(str(tmp_path / "cache"))
    rc, _out, err = ansible_inventory(simulator, path, "--graph")
    assert rc == 0, err
    assert len(api_reads(simulator)) == 2
    for name in os.listdir(str(tmp_path / "cache")):
        assert simulator.api_secret not in (tmp_path / "cache" / name).read_text()


def test_errors_name_the_option_or_carry_the_api_message(simulator, tmp_path):
    path = source(tmp_path)
    rc, out, err = ansible_inventory(simulator, path, "--list", env={"ZADARMA_API_SECRET": ""})
    assert rc != 0 and "api_secret is not set" in err and "ZADARMA_API_SECRET" in err
    rc, out, err = ansible_inventory(simulator, path, "--list", env={"ZADARMA_API_URL": "http://192.0.2.1"})
    assert rc != 0 and "api_url" in err
    assert not api_reads(simulator)

    rc, out, err = ansible_inventory(simulator, path, "--list", env={"ZADARMA_API_SECRET": "not-the-secret"})
    assert rc != 0 and "authorization failed" in err and "GET /v1/direct_numbers/" in err
    assert "Traceback" not in err


def test_playbook_over_the_unrouted_and_the_expiring_groups(simulator, tmp_path):
    path = source(tmp_path)
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(json.dumps([
        {"name": "Route every unrouted number", "hosts": "zadarma_unrouted", "gather_facts": False, "tasks": [
            {"name": "Route", "zadarma.telephony.zadarma_number": {"number": "{{ zadarma_number }}", "sip_id": "00002"}},
        ]},
        {"name": "Expiring numbers run locally", "hosts": "zadarma_expiring", "gather_facts": False, "tasks": [
            {"name": "Ping", "ansible.builtin.ping": {}},
            {"name": "Days left", "ansible.builtin.assert": {"that": ["zadarma_days_left | int <= 14"]}},
        ]},
    ]))

    rc, output = run_playbook(playbook, simulator, inventory=str(path), verbosity=1)

    assert rc == 0, output_tail(output)
    assert "%s                : ok=3    changed=1    unreachable=0    failed=0" % UNROUTED in output, output_tail(output)
    routed = dict((n["number"], n["sip"]) for n in simulator.state()["numbers"])
    assert routed == {OWNED: "00001", UNROUTED: "00002"}
    writes = simulator.writes()
    assert [(w["path"], w["params"]["number"]) for w in writes] == [("/v1/direct_numbers/set_sip_id/", UNROUTED)]
