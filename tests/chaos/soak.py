"""Chaos soak: random faults on random requests of many route, order and prolong runs; money checked after each.

Usage (after `make stage`): `make chaos`, or
  ZADARMA_COLLECTIONS_PATH=build/collections .venv/bin/python tests/chaos/soak.py [--seed N] [--seconds S]

Each step resets the simulator, runs one scenario (the modules or the roles) while the simulator's seeded
`random` fault turns requests into 429s, 5xx, delays past the modules' timeout, malformed bodies or
commit-then-drop answers, then runs the same playbook again without faults. After each run the simulator's
ledger of paid writes is checked:
- each intended purchase is paid at most once (an order per entry, a prolongation per number);
- after the clean re-run the state equals the declared state;
- a failed run spent nothing it did not report (`writes_done`, or the ambiguous write it failed on), and a
  run that succeeded paid exactly its `purchases`;
- no secret appears in any output (-vvvv).
The same seed gives the same scenarios and the same fault draws (forks 1), so a failure replays.
Exit code 0 when every check passed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import conftest as harness  # noqa: E402  pylint: disable=wrong-import-position
from zadarma_sim.process import SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

TIMEOUT = 2          # the modules' timeout (module_defaults); a delay fault sleeps past it
DELAY = TIMEOUT + 1
SIPS = ("00001", "00002", "00003", "desk@pbx.example.com")
# direction id -> (country, destination name) of the simulator's seed, none needing documents
DESTINATIONS = {13755: ("GB", "London"), 13756: ("GB", "Manchester"), 1212: ("US", "New York"),
                3767: ("DE", "Munich")}
PAID_PATHS = ("/direct_numbers/order/", "/direct_numbers/prolong/")
MODULE_DEFAULTS = {"group/zadarma.telephony.zadarma": {"timeout": TIMEOUT}}


def module_playbook(path):
    """zadarma_numbers over soak_numbers; its result is saved to soak_result_path, and a failure fails the run."""
    tasks = [
        {"name": "Converge the numbers", "zadarma.telephony.zadarma_numbers": {"numbers": "{{ soak_numbers }}"},
         "register": "soak_result", "ignore_errors": True},
        {"name": "Save the result", "ansible.builtin.copy": {"content": "{{ soak_result | to_json }}",
                                                             "dest": "{{ soak_result_path }}", "mode": "0600"}},
        {"name": "Fail as the module did", "ansible.builtin.fail": {"msg": "{{ soak_result.msg }}"},
         "when": "soak_result is failed"},
    ]
    _write(path, [{"name": "Soak: module", "hosts": "localhost", "gather_facts": False,
                   "module_defaults": MODULE_DEFAULTS, "tasks": tasks}])


def role_playbook(path, role, result_var):
    """One role over every host; the result of its zadarma_numbers task is saved whatever happens."""
    tasks = [{"name": "Run the role", "block": [{"name": "Include the role", "ansible.builtin.include_role":
                                                 {"name": "zadarma.telephony." + role}}],
              "always": [{"name": "Save the result", "ansible.builtin.copy": {
                  "content": "{{ %s | default({}) | to_json }}" % result_var, "dest": "{{ soak_result_path }}",
                  "mode": "0600"}, "delegate_to": "localhost", "run_once": True}]}]
    _write(path, [{"name": "Soak: role", "hosts": "all", "gather_facts": False,
                   "module_defaults": MODULE_DEFAULTS, "tasks": tasks}])


def _write(path, document):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)  # JSON is YAML


# ---------------------------------------------------------------------------------------------------------
# Scenarios: each returns what to seed into the simulator, what to run and what the end state must be.

def _owned_numbers(rng, count):
    """Numbers to add to the account (London and New York ranges), with random current settings."""
    numbers = []
    for index in range(count):
        prefix = "4420300" if index % 2 else "1212777"
        numbers.append({"number": prefix + "%04d" % rng.randrange(10000), "sip": rng.choice(("",) + SIPS[:3]),
                        "number_name": rng.choice((None, "Old name")), "autorenew": rng.choice(("true", "false")),
                        "stop_in_days": rng.randrange(3, 20)})
    return list({item["number"]: item for item in numbers}.values())


def _route_entries(rng, owned, prolong):
    entries = []
    for item in owned:
        entry = {"number": "+" + item["number"], "sip_id": rng.choice(SIPS),
                 "caller_name": rng.choice(("Reception", "Support", "")), "autoprolongation": rng.random() < 0.5}
        if prolong and rng.random() < 0.6:
            entry["paid_until"] = (datetime.date.today() + datetime.timedelta(days=item["stop_in_days"] + 20)).isoformat()
        entries.append(entry)
    return entries


def route_scenario(rng, with_role):
    owned = _owned_numbers(rng, rng.randrange(2, 7))
    entries = _route_entries(rng, owned, prolong=rng.random() < 0.5)
    if not with_role:
        return {"owned": owned, "entries": entries, "orders": [], "vars": {"soak_numbers": entries}}
    hosts = {}
    for index, entry in enumerate(entries):
        hosts.setdefault("office_%d" % (index % 2), {"zadarma_numbers": []})["zadarma_numbers"].append(entry)
    return {"owned": owned, "entries": entries, "orders": [], "hosts": hosts}


def order_scenario(rng, with_role):
    directions = rng.sample(sorted(DESTINATIONS), rng.randrange(1, 4))
    orders = [{"direction_id": did, "sip_id": "office%d@pbx.example.com" % index}
              for index, did in enumerate(directions)]
    if not with_role:
        entries = [dict(order, country=DESTINATIONS[order["direction_id"]][0], max_monthly_fee=5) for order in orders]
        return {"owned": [], "entries": [], "orders": orders, "vars": {"soak_numbers": entries}}
    hosts = {"office_%d" % index: {"number_order_country": DESTINATIONS[order["direction_id"]][0],
                                   "number_order_destination": DESTINATIONS[order["direction_id"]][1],
                                   "number_order_sip_id": order["sip_id"], "number_order_max_monthly_fee": 5}
             for index, order in enumerate(orders)}
    return {"owned": [], "entries": [], "orders": orders, "hosts": hosts}


SCENARIOS = {
    "route (module)": (lambda rng: route_scenario(rng, False), "module", None),
    "route+prolong (role number_routing)": (lambda rng: route_scenario(rng, True), "number_routing",
                                            "number_routing_run"),
    "order (module)": (lambda rng: order_scenario(rng, False), "module", None),
    "order (role number_order)": (lambda rng: order_scenario(rng, True), "number_order", "number_order_run"),
}


# ---------------------------------------------------------------------------------------------------------
# Checks

def declared_state_problems(scenario, state):
    """What differs between the simulator's state and the scenario's declared state."""
    owned = {item["number"]: item for item in state["numbers"]}
    problems = []
    for entry in scenario["entries"]:
        digits = entry["number"].lstrip("+")
        record = owned.get(digits)
        want = {"sip": entry["sip_id"], "number_name": entry["caller_name"] or None,
                "autorenew": "true" if entry["autoprolongation"] else "false"}
        got = {key: record.get(key) for key in want} if record else None
        if got != want:
            problems.append("%s: %s, declared %s" % (digits, got, want))
        if record and entry.get("paid_until") and record["stop_date"][:10] < entry["paid_until"]:
            problems.append("%s: paid until %s, declared %s" % (digits, record["stop_date"], entry["paid_until"]))
    for order in scenario["orders"]:
        serving = [item["number"] for item in state["numbers"]
                   if item["sip"] == order["sip_id"] and item["direction_id"] == order["direction_id"]]
        if len(serving) != 1:
            problems.append("%s in %d: %d numbers ring there, declared 1"
                            % (order["sip_id"], order["direction_id"], len(serving)))
    return problems


def double_charges(scenario, ledger, state, converged):
    """Purchases paid more than once: prolongations per number; orders beyond one per entry, and once the
    clean re-run converged, every ordered number that serves no entry."""
    prolongs = Counter(item["number"] for item in ledger if item["kind"] == "prolong")
    extra = sum(count - 1 for count in prolongs.values())
    ordered = [item["number"] for item in ledger if item["kind"] == "order"]
    if not converged:
        return extra + max(len(ordered) - len(scenario["orders"]), 0)
    serving = {item["number"] for item in state["numbers"]
               if any(item["sip"] == o["sip_id"] and item["direction_id"] == o["direction_id"]
                      for o in scenario["orders"])}
    return extra + len(ordered) - len(serving & set(ordered))


def unreported_spending(result, paid_now):
    """For one run: the paid writes the simulator booked that the run's result does not account for.

    A module's result reports `purchases` when it succeeds and `writes_done` (plus the ambiguous request it
    failed on) when it fails; the roles' fan-in action reports both: `purchases` of its successful calls, and
    the failed call's `writes_done`, `ambiguous` and `method`.
    """
    done = [item for item in result.get("writes_done") or [] if item.get("cost") is not None]
    ambiguous_paid = result.get("ambiguous") and str(result.get("method", "")).endswith(PAID_PATHS)
    purchases = [] if result.get("failed") else result.get("purchases") or []
    reported = len(purchases) + len(done) + (1 if ambiguous_paid else 0)
    return max(len(paid_now) - reported, 0)


# ---------------------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CHAOS_SEED", "20261130")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("CHAOS_SECONDS", "180")))
    parser.add_argument("--probability", type=float, default=0.15, help="fault chance of any request")
    parser.add_argument("--write-probability", type=float, default=0.4, help="fault chance of a write")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    print("chaos soak: seed %d, about %.0f s (replay: make chaos CHAOS_SEED=%d)" % (args.seed, args.seconds, args.seed),
          flush=True)

    totals = Counter()
    faults = Counter()
    violations = []
    workdir = tempfile.mkdtemp(prefix="zadarma-chaos-")
    playbooks = {"module": os.path.join(workdir, "module.yml")}
    module_playbook(playbooks["module"])
    for name, (dummy, role, result_var) in SCENARIOS.items():
        if role != "module":
            playbooks[role] = os.path.join(workdir, role + ".yml")
            role_playbook(playbooks[role], role, result_var)

    started = time.monotonic()
    with SimulatorProcess() as process:
        sim = harness.Simulator(process)
        sim.config(rate_window=1.0)  # an injected 429 is over within a second
        step = 0
        while time.monotonic() - started < args.seconds:
            step += 1
            name = rng.choice(sorted(SCENARIOS))
            build, kind, dummy = SCENARIOS[name]
            scenario = build(rng)
            fault_seed = rng.randrange(2 ** 31)
            sim.reset()
            if scenario["owned"]:
                sim.set_state(add_numbers=scenario["owned"])
            ledger_mark = 0
            for phase in ("faulted", "clean"):
                if phase == "faulted":
                    sim._call("POST", "/_sim/faults", [  # pylint: disable=protected-access
                        {"path": "*", "kind": "random", "http_method": method, "seed": fault_seed + offset,
                         "probability": args.write_probability, "seconds": DELAY}
                        for offset, method in enumerate(("POST", "PUT"))] + [
                        {"path": "*", "kind": "random", "seed": fault_seed + 2, "probability": args.probability,
                         "seconds": DELAY}])
                log_mark = max([entry["seq"] for entry in sim.log()] + [0])
                result_path = os.path.join(workdir, "result.json")
                if os.path.exists(result_path):
                    os.unlink(result_path)
                extra_vars = dict(scenario.get("vars") or {}, soak_result_path=result_path)
                inventory = {"all": {"hosts": scenario["hosts"]}} if "hosts" in scenario else None
                rc, output = harness.run_playbook(playbooks[kind], sim, inventory=inventory, extra_vars=extra_vars,
                                                  forks=1, verbosity=4, timeout=300)
                label = "step %d %s, %s (fault seed %d)" % (step, name, phase, fault_seed)
                if phase == "faulted":
                    for item in sim._call("GET", "/_sim/faults")["faults"]:  # pylint: disable=protected-access
                        faults.update({k: v for k, v in item["injected"].items() if v})
                    sim.clear_faults()
                state = sim.state()
                ledger = state["ledger"]
                paid_now, ledger_mark = ledger[ledger_mark:], len(ledger)
                totals["runs"] += 1
                totals["writes"] += sum(1 for entry in sim.log(log_mark) if entry["write"])
                totals["paid writes"] += len(paid_now)
                totals["failed faulted runs" if phase == "faulted" and rc else "ok runs"] += 1
                try:
                    harness.assert_no_secrets(output, sim)
                except AssertionError as exc:
                    violations.append("%s: %s" % (label, exc))
                try:
                    with open(result_path, encoding="utf-8") as handle:
                        result = json.load(handle)
                except (OSError, ValueError):
                    result = {"failed": True}  # the run stopped before the task: it may have paid nothing
                missing = unreported_spending(result, paid_now)
                if missing:
                    reported = {key: result.get(key) for key in ("msg", "method", "ambiguous", "writes_done", "purchases")}
                    violations.append("%s: %d paid write(s) not reported by the run: %s; the run reported %s"
                                      % (label, missing, paid_now, reported))
                if phase == "clean":
                    if rc != 0:
                        violations.append("%s: the clean re-run failed (rc %d):\n%s"
                                          % (label, rc, harness.output_tail(output, 40)))
                    problems = declared_state_problems(scenario, state)
                    if problems:
                        violations.append("%s: not the declared state: %s" % (label, "; ".join(problems)))
                doubles = double_charges(scenario, ledger, state, converged=phase == "clean")
                if doubles:
                    totals["double charges"] += doubles
                    violations.append("%s: %d double charge(s); ledger %s" % (label, doubles, ledger))
                print("%-70s rc %-3d paid %d" % (label, rc, len(paid_now)), flush=True)

    print("\nchaos soak summary (seed %d, %.0f s)" % (args.seed, time.monotonic() - started))
    print("  runs: %d (faulted runs that failed: %d)" % (totals["runs"], totals["failed faulted runs"]))
    print("  faults by kind: %s" % (", ".join("%s %d" % item for item in sorted(faults.items())) or "none"))
    print("  writes: %d, paid writes: %d, double charges: %d" % (totals["writes"], totals["paid writes"],
                                                                 totals["double charges"]))
    print("  violations: %d" % len(violations))
    for violation in violations:
        print("  - " + violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
