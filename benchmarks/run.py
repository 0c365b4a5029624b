"""make bench: what converging and ordering many numbers costs, against the simulator over real HTTP.

The simulator answers every API request after 80 ms and enforces the real limit (100 requests per 60 s).
Scenarios (20 inventory hosts, 10 numbers each):
  A  a no-op re-run of route_numbers over 200 numbers, against (a) the same playbook with the API work
     replaced by a no-op module (the floor Ansible itself sets) and (b) one zadarma_number task per number;
  B  a first run of route_numbers that changes the routing of the 200 numbers, against the floor the rate
     limit sets for the writes needed (200 writes at 100 a minute: 120 s);
  C  order_number for 20 hosts (10 in London, 10 in Berlin with documents): requests per number ordered;
  M  peak memory (RSS) of the controller and of one module process.
Every figure is measured in this run; ratios are against baselines measured in this run too.
Prints a table and writes benchmarks/results/latest.json. It asserts nothing: goals are reported.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from zadarma_sim.process import SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

COLLECTIONS = os.environ.get("ZADARMA_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "collections")
RESULTS = os.path.join(ROOT, "benchmarks", "results")
VENV_BIN = os.path.dirname(sys.executable)
HOSTS, PER_HOST, LATENCY_MS, RATE_LIMIT, RATE_WINDOW = 20, 10, 80, 100, 60
WRITES_FLOOR = 200 / RATE_LIMIT * RATE_WINDOW  # seconds: 200 writes at the limit

FLOOR_MODULE = '''
from ansible.module_utils.basic import AnsibleModule


def main():
    """zadarma_numbers with the API work replaced by nothing: every entry comes back as it is."""
    module = AnsibleModule(dict(numbers=dict(type="list", elements="dict", required=True),
                                fail_on_refusal=dict(type="bool", default=True), user_id=dict(type="int")),
                           supports_check_mode=True)
    numbers = [dict(number=e["number"], sip=e.get("sip_id"), status="on", stop_date="", caller_name=None,
                    test_mode=False, autoprolongation=True, changes=[]) for e in module.params["numbers"]]
    module.exit_json(changed=False, numbers=numbers, refused=[], ordered=[], purchases=[], cost=0.0)


main()
'''

PER_NUMBER_PLAYBOOK = [{
    "name": "One zadarma_number task per number", "hosts": "all", "gather_facts": False,
    "tasks": [{"name": "Converge one number", "zadarma.telephony.zadarma_number": {
        "number": "{{ item.number }}", "sip_id": "{{ item.sip_id }}"}, "loop": "{{ zadarma_numbers }}",
        "delegate_to": "localhost"}],
}]


def owned_numbers():
    return ["44207100%04d" % i for i in range(HOSTS * PER_HOST)]


def routing_inventory(sip_id):
    numbers = owned_numbers()
    hosts = {}
    for h in range(HOSTS):
        hosts["office%02d" % h] = {"zadarma_numbers": [
            {"number": n, "sip_id": sip_id} for n in numbers[h * PER_HOST:(h + 1) * PER_HOST]]}
    return {"all": {"hosts": hosts, "vars": {"ansible_connection": "local",
                                             "ansible_python_interpreter": sys.executable}}}


def ordering_inventory(passport):
    hosts = {}
    for h in range(HOSTS):
        berlin = h % 2 == 1
        hosts["office%02d" % h] = {
            "number_order_country": "DE" if berlin else "GB",
            "number_order_destination": "Berlin" if berlin else "London",
            "number_order_sip_id": "office%02d@pbx.example.com" % h,
            "number_order_max_monthly_fee": 5,
        }
        if berlin:
            hosts["office%02d" % h].update(number_order_documents_group=dict(
                email="ops@example.com", salutation="COMPANY", first_name="Ops", last_name="Team",
                organization="Example GmbH", country="DE", city="Berlin", address="Unter den Linden 5",
                zip_code="10117", street="Unter den Linden", building_number="5", phone="4930123456"),
                number_order_documents=[{"path": passport, "document_type": "passport"}])
    return {"all": {"hosts": hosts, "vars": {"ansible_connection": "local",
                                             "ansible_python_interpreter": sys.executable}}}


class Bench:
    def __init__(self, simulator, workdir):
        self.sim = simulator
        self.workdir = workdir

    def control(self, method, path, body=None):
        import urllib.request  # pylint: disable=import-outside-toplevel
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.sim.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode() or "null")

    def fresh(self, sip="00001"):
        """Seed state, empty log, a new rate window, and the 200 owned numbers routed to `sip`."""
        self.control("POST", "/_sim/reset", {})
        self.control("POST", "/_sim/state", {"add_numbers": [{"number": n, "sip": sip} for n in owned_numbers()]})
        self.control("POST", "/_sim/config", {"rate_limit": RATE_LIMIT, "rate_window": RATE_WINDOW})
        return self.last_seq()

    def last_seq(self):
        entries = self.control("GET", "/_sim/log")["requests"]
        return entries[-1]["seq"] if entries else 0

    def requests_since(self, seq):
        return self.control("GET", "/_sim/log?since=%d" % seq)["requests"]

    def run(self, playbook, inventory, collections=COLLECTIONS, forks=5):
        """ansible-playbook; returns (rc, wall seconds, output)."""
        name = "run-%d" % time.monotonic_ns()
        pb_path, inv_path = os.path.join(self.workdir, name + ".yml"), os.path.join(self.workdir, name + ".inv.yml")
        if isinstance(playbook, str):
            pb_path = playbook
        else:
            with open(pb_path, "w") as handle:
                json.dump(playbook, handle)
        with open(inv_path, "w") as handle:
            json.dump(inventory, handle)
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "ZADARMA_")))
        env.update(self.sim.environment(), ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        start = time.monotonic()
        done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", inv_path, "-f", str(forks), pb_path],
                              env=env, cwd=self.workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
        return done.returncode, time.monotonic() - start, done.stdout.decode(errors="replace")


def floor_collections(workdir):
    """A copy of the staged collection whose zadarma_numbers does no API work."""
    target = os.path.join(workdir, "floor")
    shutil.copytree(COLLECTIONS, target, symlinks=True)
    module = os.path.join(target, "ansible_collections", "zadarma", "telephony", "plugins", "modules", "zadarma_numbers.py")
    with open(module, "w") as handle:
        handle.write(FLOOR_MODULE)
    return target


def failures(output):
    return sum(int(n) for n in re.findall(r"failed=(\d+)", output))


def module_rss(bench, workdir):
    """Peak RSS (MiB) of one zadarma_numbers process converging the 200 numbers (a no-op)."""
    args = {"ANSIBLE_MODULE_ARGS": {"numbers": [{"number": n, "sip_id": "00001"} for n in owned_numbers()]}}
    env = dict(os.environ, PYTHONPATH=COLLECTIONS, **bench.sim.environment())
    probe = ("import resource, subprocess, sys; subprocess.run([sys.executable, '-m', "
             "'ansible_collections.zadarma.telephony.plugins.modules.zadarma_numbers'], input=sys.stdin.buffer.read(), "
             "stdout=subprocess.DEVNULL, check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe], input=json.dumps(args).encode(), env=env, cwd=workdir,
                         stdout=subprocess.PIPE, check=True)
    return int(out.stdout.decode().strip()) / 1024.0


def main():
    if not os.path.isdir(os.path.join(COLLECTIONS, "ansible_collections", "zadarma", "telephony")):
        sys.exit("bench: the staged collection is missing (%s): run `make stage`" % COLLECTIONS)
    os.makedirs(RESULTS, exist_ok=True)
    route = os.path.join(COLLECTIONS, "ansible_collections", "zadarma", "telephony", "playbooks", "route_numbers.yml")
    order = os.path.join(COLLECTIONS, "ansible_collections", "zadarma", "telephony", "playbooks", "order_number.yml")
    figures = {}
    workdir = tempfile.mkdtemp(prefix="zadarma-bench-")
    passport = os.path.join(workdir, "passport.pdf")
    with open(passport, "wb") as handle:
        handle.write(b"%PDF-1.4\n% benchmark passport\n")
    with SimulatorProcess(extra_args=["--latency-ms", str(LATENCY_MS)]) as sim:
        bench = Bench(sim, workdir)

        print("A: no-op re-run over %d numbers ..." % (HOSTS * PER_HOST), flush=True)
        seq = bench.fresh("00001")
        rc, wall, out = bench.run(route, routing_inventory("00001"))
        sent = bench.requests_since(seq)
        floor_rc, floor_wall, floor_out = bench.run(route, routing_inventory("00001"), collections=floor_collections(workdir))
        seq = bench.fresh("00001")
        per_rc, per_wall, per_out = bench.run(PER_NUMBER_PLAYBOOK, routing_inventory("00001"))
        per_sent = bench.requests_since(seq)
        figures["A"] = dict(requests=len(sent), wall_s=round(wall, 2), failures=failures(out) + (rc != 0),
                            floor_wall_s=round(floor_wall, 2), floor_failures=failures(floor_out) + (floor_rc != 0),
                            ratio_to_floor=round(wall / floor_wall, 3),
                            per_number_requests=len(per_sent), per_number_wall_s=round(per_wall, 2),
                            per_number_failures=failures(per_out) + (per_rc != 0),
                            per_number_429s=sum(1 for e in per_sent if e["status"] == 429),
                            speedup_vs_per_number=round(per_wall / wall, 2))

        print("B: first run routing %d numbers ..." % (HOSTS * PER_HOST), flush=True)
        seq = bench.fresh("00001")
        rc, wall, out = bench.run(route, routing_inventory("00002"))
        sent = bench.requests_since(seq)
        writes = [e for e in sent if e["write"] and e["status"] == 200]
        figures["B"] = dict(requests=len(sent), writes=len(writes), requests_beyond_writes=len(sent) - len(writes),
                            rate_limited_429s=sum(1 for e in sent if e["status"] == 429),
                            failures=failures(out) + (rc != 0), wall_s=round(wall, 2), floor_s=WRITES_FLOOR,
                            ratio_to_floor=round(wall / WRITES_FLOOR, 3))

        print("C: ordering for %d hosts ..." % HOSTS, flush=True)
        seq = bench.fresh("00001")
        rc, wall, out = bench.run(order, ordering_inventory(passport))
        sent = bench.requests_since(seq)
        orders = [e for e in sent if e["path"] == "/v1/direct_numbers/order/" and e["status"] == 200]
        figures["C"] = dict(requests=len(sent), numbers_ordered=len(orders), failures=failures(out) + (rc != 0),
                            wall_s=round(wall, 2),
                            requests_per_number=round(len(sent) / max(len(orders), 1), 2))

        print("M: memory ...", flush=True)
        bench.fresh("00001")
        figures["M"] = dict(controller_peak_rss_mib=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1),
                            module_peak_rss_mib=round(module_rss(bench, workdir), 1))
    shutil.rmtree(workdir, ignore_errors=True)

    goals = {
        "A: at most 2 requests": figures["A"]["requests"] <= 2,
        "A: wall <= 1.5 x floor": figures["A"]["ratio_to_floor"] <= 1.5,
        "B: zero failures": figures["B"]["failures"] == 0,
        "B: <= 2 requests beyond the writes": figures["B"]["requests_beyond_writes"] <= 2,
        "B: wall <= 1.15 x writes' floor": figures["B"]["ratio_to_floor"] <= 1.15,
        "C: <= 5 requests per number ordered": figures["C"]["requests_per_number"] <= 5 and figures["C"]["numbers_ordered"] == HOSTS,
    }
    report = dict(machine=dict(platform=platform.platform(), python=platform.python_version(), cpus=os.cpu_count()),
                  settings=dict(hosts=HOSTS, numbers=HOSTS * PER_HOST, latency_ms=LATENCY_MS,
                                rate_limit="%d per %d s" % (RATE_LIMIT, RATE_WINDOW), forks=5),
                  figures=figures, goals=goals, when=time.strftime("%Y-%m-%d %H:%M:%S"))
    with open(os.path.join(RESULTS, "latest.json"), "w") as handle:
        json.dump(report, handle, indent=2)

    a, b, c, m = figures["A"], figures["B"], figures["C"], figures["M"]
    rows = [
        ("A no-op, route_numbers", "%d requests" % a["requests"], "%.1f s" % a["wall_s"],
         "%.2f x floor (%.1f s)" % (a["ratio_to_floor"], a["floor_wall_s"])),
        ("A no-op, zadarma_number per number", "%d requests" % a["per_number_requests"], "%.1f s" % a["per_number_wall_s"],
         "%.1f x slower, %d 429s" % (a["speedup_vs_per_number"], a["per_number_429s"])),
        ("B route 200 numbers", "%d requests (%d writes)" % (b["requests"], b["writes"]), "%.1f s" % b["wall_s"],
         "%.3f x writes' floor (%.0f s), %d 429s, %d failures" % (b["ratio_to_floor"], b["floor_s"],
                                                                  b["rate_limited_429s"], b["failures"])),
        ("C order for %d hosts" % HOSTS, "%d requests, %d ordered" % (c["requests"], c["numbers_ordered"]),
         "%.1f s" % c["wall_s"], "%.2f requests per number" % c["requests_per_number"]),
        ("M peak RSS", "controller %.0f MiB" % m["controller_peak_rss_mib"], "", "module %.0f MiB" % m["module_peak_rss_mib"]),
    ]
    print()
    for row in rows:
        print("%-36s %-26s %-9s %s" % row)
    print()
    for goal, met in goals.items():
        print("%-40s %s" % (goal, "met" if met else "MISSED"))
    print("\nwritten: %s" % os.path.relpath(os.path.join(RESULTS, "latest.json"), ROOT))


if __name__ == "__main__":
    main()
