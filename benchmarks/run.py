"""make bench: what converging and ordering many numbers costs, against the simulator over real HTTP.

The simulator answers every API request after 80 ms and enforces the real limit (100 requests per 60 s).
Scenarios:
  A  a no-op re-run of route_numbers at two sizes, 200 numbers over 20 hosts and 2,000 over 200 (10 numbers a
     host), against Ansible's own floor: one ansible.builtin.ping per host, same inventory, same forks; with the
     controller's peak memory and the time per host at each size; plus, at the small size, one zadarma_number
     task per number;
  B  a first run of route_numbers that changes the routing of the 200 numbers, against the floor the rate
     limit sets for the writes needed (200 writes at 100 a minute: 120 s);
  C  order_number for 20 hosts (10 in London, 10 in Berlin with documents): requests per number ordered;
  M  peak memory (RSS) of one module process.
Every figure is measured in this run; ratios are against baselines measured in this run too.
Prints a table and writes benchmarks/results/latest.json. It asserts nothing: goals are reported.
"""

from __future__ import annotations

import json
import os
import platform
import re
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
HOSTS, PER_HOST, LATENCY_MS, RATE_LIMIT, RATE_WINDOW, FORKS = 20, 10, 80, 100, 60, 5
SIZES = (20, 200)  # hosts of scenario A, 10 numbers each
WRITES_FLOOR = 200 / RATE_LIMIT * RATE_WINDOW  # seconds: 200 writes at the limit

FLOOR_PLAYBOOK = [{"name": "Ansible's floor: one ping per host", "hosts": "all", "gather_facts": False,
                   "tasks": [{"name": "Ping", "ansible.builtin.ping": {}}]}]

PER_NUMBER_PLAYBOOK = [{
    "name": "One zadarma_number task per number", "hosts": "all", "gather_facts": False,
    "tasks": [{"name": "Converge one number", "zadarma.telephony.zadarma_number": {
        "number": "{{ item.number }}", "sip_id": "{{ item.sip_id }}"}, "loop": "{{ zadarma_numbers }}",
        "delegate_to": "localhost"}],
}]


def owned_numbers(hosts=HOSTS):
    return ["44207100%04d" % i for i in range(hosts * PER_HOST)]


def routing_inventory(sip_id, count=HOSTS):
    numbers = owned_numbers(count)
    hosts = {}
    for h in range(count):
        hosts["office%03d" % h] = {"zadarma_numbers": [
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
        with urllib.request.build_opener().open(request, timeout=60) as response:
            return json.loads(response.read().decode() or "null")

    def fresh(self, sip="00001", hosts=HOSTS):
        """Seed state, empty log, a new rate window, and the hosts' owned numbers routed to `sip`."""
        self.control("POST", "/_sim/reset", {})
        self.control("POST", "/_sim/state", {"add_numbers": [{"number": n, "sip": sip} for n in owned_numbers(hosts)]})
        self.control("POST", "/_sim/config", {"rate_limit": RATE_LIMIT, "rate_window": RATE_WINDOW})
        return self.last_seq()

    def last_seq(self):
        entries = self.control("GET", "/_sim/log")["requests"]
        return entries[-1]["seq"] if entries else 0

    def requests_since(self, seq):
        return self.control("GET", "/_sim/log?since=%d" % seq)["requests"]

    def run(self, playbook, inventory, forks=FORKS):
        """ansible-playbook; returns (rc, wall seconds, output, peak RSS in MiB of its largest process)."""
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
        env.update(self.sim.environment(), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        # A fresh parent per run, so that the peak RSS of its children is this run's alone.
        probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)")
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-c", probe, os.path.join(VENV_BIN, "ansible-playbook"), "-i", inv_path,
                               "-f", str(forks), pb_path], env=env, cwd=self.workdir, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        wall = time.monotonic() - start
        rss = int(done.stderr.decode().strip().splitlines()[-1]) / 1024.0
        return done.returncode, wall, done.stdout.decode(errors="replace"), rss


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

        figures["A"] = []
        for count in SIZES:
            print("A: no-op re-run over %d numbers, %d hosts ..." % (count * PER_HOST, count), flush=True)
            seq = bench.fresh("00001", count)  # the numbers already as the inventory wants them: a re-run
            rc, wall, out, rss = bench.run(route, routing_inventory("00001", count))
            sent = bench.requests_since(seq)
            floor_rc, floor_wall, floor_out, floor_rss = bench.run(FLOOR_PLAYBOOK, routing_inventory("00001", count))
            figures["A"].append(dict(
                hosts=count, numbers=count * PER_HOST, requests=len(sent), wall_s=round(wall, 2),
                failures=failures(out) + (rc != 0), floor_wall_s=round(floor_wall, 2),
                floor_failures=failures(floor_out) + (floor_rc != 0), ratio_to_floor=round(wall / floor_wall, 3),
                ms_per_host=round(wall / count * 1000), controller_peak_rss_mib=round(rss, 1),
                floor_peak_rss_mib=round(floor_rss, 1)))
        seq = bench.fresh("00001")
        per_rc, per_wall, per_out, _rss = bench.run(PER_NUMBER_PLAYBOOK, routing_inventory("00001"))
        per_sent = bench.requests_since(seq)
        figures["A per number"] = dict(requests=len(per_sent), wall_s=round(per_wall, 2),
                                       failures=failures(per_out) + (per_rc != 0),
                                       rate_limited_429s=sum(1 for e in per_sent if e["status"] == 429),
                                       slower_than_role=round(per_wall / figures["A"][0]["wall_s"], 2))

        print("B: first run routing %d numbers ..." % (HOSTS * PER_HOST), flush=True)
        seq = bench.fresh("00001")
        rc, wall, out, _rss = bench.run(route, routing_inventory("00002"))
        sent = bench.requests_since(seq)
        writes = [e for e in sent if e["write"] and e["status"] == 200]
        figures["B"] = dict(requests=len(sent), writes=len(writes), requests_beyond_writes=len(sent) - len(writes),
                            rate_limited_429s=sum(1 for e in sent if e["status"] == 429),
                            failures=failures(out) + (rc != 0), wall_s=round(wall, 2), floor_s=WRITES_FLOOR,
                            ratio_to_floor=round(wall / WRITES_FLOOR, 3))

        print("C: ordering for %d hosts ..." % HOSTS, flush=True)
        seq = bench.fresh("00001")
        rc, wall, out, _rss = bench.run(order, ordering_inventory(passport))
        sent = bench.requests_since(seq)
        orders = [e for e in sent if e["path"] == "/v1/direct_numbers/order/" and e["status"] == 200]
        figures["C"] = dict(requests=len(sent), numbers_ordered=len(orders), failures=failures(out) + (rc != 0),
                            wall_s=round(wall, 2),
                            requests_per_number=round(len(sent) / max(len(orders), 1), 2))

        print("M: memory ...", flush=True)
        bench.fresh("00001")
        figures["M"] = dict(module_peak_rss_mib=round(module_rss(bench, workdir), 1))
    shutil.rmtree(workdir, ignore_errors=True)

    small, large = figures["A"]
    goals = {
        "A: at most 2 requests, both sizes": all(a["requests"] <= 2 for a in figures["A"]),
        "A: wall <= 1.0 x ping floor, both sizes": all(a["ratio_to_floor"] <= 1.0 for a in figures["A"]),
        "A: no failures": all(a["failures"] == 0 for a in figures["A"]),
        "A: time per host linear (large <= 1.25 x small)": large["ms_per_host"] <= 1.25 * small["ms_per_host"],
        "B: zero failures": figures["B"]["failures"] == 0,
        "B: <= 2 requests beyond the writes": figures["B"]["requests_beyond_writes"] <= 2,
        "B: wall <= 1.15 x writes' floor": figures["B"]["ratio_to_floor"] <= 1.15,
        "C: <= 5 requests per number ordered": figures["C"]["requests_per_number"] <= 5 and figures["C"]["numbers_ordered"] == HOSTS,
    }
    report = dict(machine=dict(platform=platform.platform(), python=platform.python_version(), cpus=os.cpu_count()),
                  settings=dict(hosts=HOSTS, numbers=HOSTS * PER_HOST, latency_ms=LATENCY_MS,
                                rate_limit="%d per %d s" % (RATE_LIMIT, RATE_WINDOW), forks=FORKS),
                  figures=figures, goals=goals, when=time.strftime("%Y-%m-%d %H:%M:%S"))
    with open(os.path.join(RESULTS, "latest.json"), "w") as handle:
        json.dump(report, handle, indent=2)

    per, b, c, m = figures["A per number"], figures["B"], figures["C"], figures["M"]
    rows = [("A no-op, route_numbers, %d hosts" % a["hosts"], "%d request(s), %d numbers" % (a["requests"], a["numbers"]),
             "%.1f s" % a["wall_s"], "%.2f x ping floor (%.1f s); %d ms/host; controller peak %.0f MiB (floor %.0f)"
             % (a["ratio_to_floor"], a["floor_wall_s"], a["ms_per_host"], a["controller_peak_rss_mib"],
                a["floor_peak_rss_mib"])) for a in figures["A"]]
    rows += [
        ("A no-op, zadarma_number per number", "%d requests" % per["requests"], "%.1f s" % per["wall_s"],
         "%.1f x slower than the role, %d 429s" % (per["slower_than_role"], per["rate_limited_429s"])),
        ("B route 200 numbers", "%d requests (%d writes)" % (b["requests"], b["writes"]), "%.1f s" % b["wall_s"],
         "%.3f x writes' floor (%.0f s), %d 429s, %d failures" % (b["ratio_to_floor"], b["floor_s"],
                                                                  b["rate_limited_429s"], b["failures"])),
        ("C order for %d hosts" % HOSTS, "%d requests, %d ordered" % (c["requests"], c["numbers_ordered"]),
         "%.1f s" % c["wall_s"], "%.2f requests per number" % c["requests_per_number"]),
        ("M peak RSS", "module %.0f MiB" % m["module_peak_rss_mib"], "", ""),
    ]
    print()
    for row in rows:
        print("%-38s %-26s %-9s %s" % row)
    print()
    for goal, met in goals.items():
        print("%-40s %s" % (goal, "met" if met else "MISSED"))
    print("\nwritten: %s" % os.path.relpath(os.path.join(RESULTS, "latest.json"), ROOT))


if __name__ == "__main__":
    main()
