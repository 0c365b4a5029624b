"""A controller killed with SIGKILL in the middle of a run: the re-run converges, nothing is paid twice and
no number is left half-configured.

The controller is killed as a crash of its machine kills it: SIGKILL to ansible-playbook and every process
it started (the forks run in sessions of their own, so a signal to its process group would miss them and
their modules), once the simulator's log shows a given number of writes. The simulator's latency keeps the
run slow enough for the kill to land in the middle. (Killing ansible-playbook alone leaves its forks running
on as orphans: see test_concurrency.py.)
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

from conftest import STAGED_COLLECTION, output_tail, run_playbook, start_playbook

ROUTE_NUMBERS = os.path.join(STAGED_COLLECTION, "playbooks", "route_numbers.yml")
ORDER_NUMBER = os.path.join(STAGED_COLLECTION, "playbooks", "order_number.yml")
SIPS = ("00001", "00002", "00003")


def descendants(pid):
    """Every living process started by pid, at any depth (read from /proc)."""
    children = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_after_writes(run, simulator, writes, path_part="", only_controller=False, limit=600):
    """SIGKILL the controller (and, unless only_controller, everything it started) once the log shows
    `writes` writes whose path contains path_part."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        seen = [entry for entry in simulator.writes() if path_part in entry["path"]]
        if len(seen) >= writes:
            for pid in [run.pid] + ([] if only_controller else descendants(run.pid)):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            rc, output = run.wait()
            return rc, output, len(seen)
        assert run.process.poll() is None, "the run ended before %d writes:\n%s" % (writes, output_tail(run.wait()[1]))
        time.sleep(0.02)
    raise AssertionError("no %d writes within %d s" % (writes, limit))


def owned(simulator):
    return {item["number"]: item for item in simulator.state()["numbers"]}


def test_killed_route_numbers_200_numbers_rerun_converges(simulator):
    numbers = ["4420300%05d" % index for index in range(200)]
    simulator.set_state(balance=1000, add_numbers=[{"number": number, "sip": "", "stop_in_days": 10}
                                                   for number in numbers])
    hosts = {}
    for index, number in enumerate(numbers):
        entry = {"number": "+" + number, "sip_id": SIPS[index % 3], "caller_name": "Desk %d" % index}
        if index % 10 == 0:
            entry["paid_until"] = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 25 * 86400))
        hosts.setdefault("office_%02d" % (index // 10), {"zadarma_numbers": []})["zadarma_numbers"].append(entry)
    inventory = {"all": {"hosts": hosts}}
    simulator.config(latency_ms=15)

    run = start_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, verbosity=1)
    rc, output, seen = kill_after_writes(run, simulator, 150)
    assert rc == -signal.SIGKILL, output_tail(output)
    state = owned(simulator)
    routed = sum(1 for number in numbers if state[number]["sip"])
    assert 0 < routed < 200, "the kill did not land in the middle: %d of 200 routed" % routed

    simulator.config(latency_ms=0)
    rc, output = run_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, verbosity=1)
    assert rc == 0, output_tail(output)
    state = owned(simulator)
    half = [number for index, number in enumerate(numbers)
            if (state[number]["sip"], state[number]["number_name"]) != (SIPS[index % 3], "Desk %d" % index)]
    assert not half, "left half-configured: %s" % half[:10]
    prolongs = Counter(item["number"] for item in simulator.state()["ledger"] if item["kind"] == "prolong")
    assert sorted(prolongs) == sorted(numbers[::10]), prolongs
    assert set(prolongs.values()) == {1}, "paid twice: %s" % {n: c for n, c in prolongs.items() if c > 1}
    before = len(simulator.log())
    rc, output = run_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, verbosity=1)
    assert rc == 0 and not [entry for entry in simulator.log()[before:] if entry["write"]], output_tail(output)


def test_killed_order_number_20_numbers_rerun_buys_each_once(simulator):
    simulator.set_state(balance=1000)
    hosts = {"office_%02d" % index: {"number_order_country": "GB", "number_order_destination": "London",
                                     "number_order_sip_id": "office%02d@pbx.example.com" % index,
                                     "number_order_max_monthly_fee": 5}
             for index in range(20)}
    inventory = {"all": {"hosts": hosts}}
    simulator.config(latency_ms=40)

    run = start_playbook(ORDER_NUMBER, simulator, inventory=inventory, verbosity=1)
    rc, output, seen = kill_after_writes(run, simulator, 8, "/direct_numbers/order/")
    assert rc == -signal.SIGKILL, output_tail(output)
    bought_before_kill = [item for item in simulator.state()["ledger"] if item["kind"] == "order"]
    assert 8 <= len(bought_before_kill) < 20, "the kill did not land in the middle: %d orders" % len(bought_before_kill)

    simulator.config(latency_ms=0)
    rc, output = run_playbook(ORDER_NUMBER, simulator, inventory=inventory, verbosity=1)
    assert rc == 0, output_tail(output)
    state = simulator.state()
    orders = Counter(item["number"] for item in state["ledger"] if item["kind"] == "order")
    assert len(orders) == 20 and set(orders.values()) == {1}, "orders: %s" % orders
    ringing = Counter(item["sip"] for item in state["numbers"] if item["number"] in orders)
    assert sorted(ringing) == sorted(host["number_order_sip_id"] for host in hosts.values()), ringing
    assert set(ringing.values()) == {1}, "an office has two numbers: %s" % ringing
