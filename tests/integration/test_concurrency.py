"""Two runs at once (two AWX templates, or a person and a schedule) never buy twice and both end ok.

The protection is a per-account lock on the controller around the paid writes, with the owned numbers read
again once the lock is held (docs/failures.md, "What protects what"). A controller killed with SIGKILL leaves
its forks running on as orphans: a re-run started at once is a second run at the same time.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

from conftest import STAGED_COLLECTION, output_tail, run_playbook, start_playbook
from test_kill import kill_after_writes

ROUTE_NUMBERS = os.path.join(STAGED_COLLECTION, "playbooks", "route_numbers.yml")
ORDER_NUMBER = os.path.join(STAGED_COLLECTION, "playbooks", "order_number.yml")


def at_once(simulator, playbook, inventory, runs=2):
    """Start the runs together; (rc, output) of each."""
    started = [start_playbook(playbook, simulator, inventory=inventory, verbosity=1) for dummy in range(runs)]
    return [run.wait() for run in started]


def wait_until_quiet(simulator, quiet=3.0, limit=300):
    """Wait until the simulator has seen no request for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last, since = len(simulator.log()), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.5)
        count = len(simulator.log())
        if count != last:
            last, since = count, time.monotonic()


def route_inventory(numbers):
    paid_until = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 25 * 86400))
    hosts = {}
    for index, number in enumerate(numbers):
        entry = {"number": number, "sip_id": ("00001", "00002")[index % 2], "caller_name": "Line %d" % index}
        if index % 4 == 0:
            entry["paid_until"] = paid_until
        hosts.setdefault("office_%d" % (index % 4), {"zadarma_numbers": []})["zadarma_numbers"].append(entry)
    return {"all": {"hosts": hosts}}


def assert_routed_and_paid_once(simulator, inventory):
    state = simulator.state()
    owned = {item["number"]: item for item in state["numbers"]}
    entries = [entry for host in inventory["all"]["hosts"].values() for entry in host["zadarma_numbers"]]
    wrong = [entry["number"] for entry in entries
             if (owned[entry["number"]]["sip"], owned[entry["number"]]["number_name"])
             != (entry["sip_id"], entry["caller_name"])]
    assert not wrong, "not in the declared state: %s" % wrong
    prolongs = Counter(item["number"] for item in state["ledger"] if item["kind"] == "prolong")
    assert sorted(prolongs) == sorted(entry["number"] for entry in entries if "paid_until" in entry), prolongs
    assert set(prolongs.values()) == {1}, "paid twice: %s" % prolongs


def test_two_order_runs_for_one_office_buy_one_number_and_both_end_ok(simulator):
    office = {"number_order_country": "DE", "number_order_destination": "Munich",
              "number_order_sip_id": "munich-desk@pbx.example.com", "number_order_max_monthly_fee": 5}
    # Each order is answered 6 s late: the run that starts second reads the owned numbers before the first
    # run's order is committed, whatever the start-up times.
    simulator.fault(path="/v1/direct_numbers/order/", kind="delay", seconds=6, count=2)
    results = at_once(simulator, ORDER_NUMBER, {"all": {"hosts": {"office_munich": office}}})
    for rc, output in results:
        assert rc == 0, output_tail(output)
    state = simulator.state()
    ringing = [item["number"] for item in state["numbers"] if item["sip"] == office["number_order_sip_id"]]
    assert len(ringing) == 1, "the office has %d numbers: %s" % (len(ringing), ringing)
    assert [item["number"] for item in state["ledger"] if item["kind"] == "order"] == ringing


def test_two_route_runs_over_one_inventory_end_ok_in_the_declared_state(simulator):
    numbers = ["4420300%05d" % index for index in range(20)]
    simulator.set_state(add_numbers=[{"number": number, "sip": "", "stop_in_days": 10} for number in numbers])
    inventory = route_inventory(numbers)
    simulator.config(latency_ms=50)
    for rc, output in at_once(simulator, ROUTE_NUMBERS, inventory):
        assert rc == 0, output_tail(output)
    assert_routed_and_paid_once(simulator, inventory)


def test_rerun_while_the_killed_controllers_module_runs_on_pays_nothing_twice(simulator):
    numbers = ["4420300%05d" % index for index in range(60)]
    simulator.set_state(add_numbers=[{"number": number, "sip": "", "stop_in_days": 10} for number in numbers])
    inventory = route_inventory(numbers)
    simulator.config(latency_ms=30)
    run = start_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, verbosity=1)
    rc, output, dummy = kill_after_writes(run, simulator, 20, only_controller=True)
    assert rc == -signal.SIGKILL, output_tail(output)
    simulator.config(latency_ms=150)  # the orphan is still sending when the re-run reads the numbers
    rc, output = run_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, verbosity=1)
    assert rc == 0, output_tail(output)
    wait_until_quiet(simulator)  # the orphaned module finishes whatever it still had to send
    assert_routed_and_paid_once(simulator, inventory)
