"""make demo: the collection's main job, from a clean build, against the bundled simulator.

Builds and installs the collection, starts the simulator, then runs what a telephony team runs on day one
against examples/inventory.yml: order the offices' numbers (documents included where the destination needs
them), route the numbers the offices declare, and audit them. Then it runs all three again and checks that
nothing changed and nothing was written. The simulator is stopped whatever happens.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "simulator"))

from zadarma_sim.process import SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

STAGE = os.path.join(os.environ.get("ZADARMA_COLLECTIONS_PATH") or os.path.join(ROOT, "build", "collections"),
                     "ansible_collections", "zadarma", "telephony")
DEMO = os.path.join(ROOT, "build", "demo")
BIN = os.path.dirname(sys.executable)
INVENTORY = os.path.join(ROOT, "examples", "inventory.yml")
STEPS = [("order_number", "Order a number for every office (check the destination, documents, cost, balance)"),
         ("route_numbers", "Route and name the numbers each office declares"),
         ("audit_numbers", "Audit every owned number")]


def banner(text):
    print("\n" + "=" * 100 + "\n" + text + "\n" + "=" * 100, flush=True)


def install_collection():
    shutil.rmtree(DEMO, ignore_errors=True)
    os.makedirs(DEMO)
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", STAGE, "--output-path", DEMO],
                   check=True, stdout=subprocess.DEVNULL)
    tarball = glob.glob(os.path.join(DEMO, "zadarma-telephony-*.tar.gz"))[0]
    collections = os.path.join(DEMO, "collections")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", tarball, "-p", collections],
                   check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections))
    print("demo: built and installed %s into build/demo/collections" % os.path.basename(tarball))


def run_step(playbook, simulator, show):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "ZADARMA_")))
    env.update(simulator.environment(), ANSIBLE_COLLECTIONS_PATH=os.path.join(DEMO, "collections"),
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_CALLBACK_RESULT_FORMAT="yaml", ANSIBLE_DISPLAY_SKIPPED_HOSTS="false",
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="false")
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", INVENTORY, "zadarma.telephony." + playbook],
                          env=env, cwd=DEMO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    output = done.stdout.decode(errors="replace")
    print(output if show else "\n".join(line for line in output.splitlines() if re.match(r"^\S+\s+: ok=", line)),
          flush=True)
    if done.returncode != 0:
        if not show:
            print(output)
        raise SystemExit("demo: %s failed (rc %d)" % (playbook, done.returncode))
    return output


def control(simulator, path):
    with urllib.request.build_opener().open(simulator.url + path, timeout=30) as response:
        return json.loads(response.read().decode())


def main():
    if not os.path.isdir(STAGE):
        raise SystemExit("demo: the staged collection is missing: run `make stage` (make demo does)")
    install_collection()
    with SimulatorProcess() as simulator:
        print("demo: Zadarma API simulator at %s (key %s), balance %.2f USD"
              % (simulator.url, simulator.api_key, control(simulator, "/_sim/state")["balance"]))
        for playbook, title in STEPS:
            banner("First pass: %s (ansible-playbook -i examples/inventory.yml zadarma.telephony.%s)" % (title, playbook))
            run_step(playbook, simulator, show=True)
        writes = [e for e in control(simulator, "/_sim/log")["requests"] if e["write"]]

        banner("Second pass: the same three playbooks again; nothing may change and nothing may be written")
        outputs = [run_step(playbook, simulator, show=False) for playbook, _title in STEPS]
        again = [e for e in control(simulator, "/_sim/log")["requests"] if e["write"]]
        changed = sum(int(n) for text in outputs for n in re.findall(r"changed=(\d+)", text))
        state = control(simulator, "/_sim/state")

    spent = sum(1 for e in writes if e["path"] in ("/v1/direct_numbers/order/", "/v1/direct_numbers/prolong/"))
    banner("Summary")
    print("first pass:  %d write requests (%d paid: orders and prolongations)" % (len(writes), spent))
    print("second pass: changed=%d, %d write requests" % (changed, len(again) - len(writes)))
    print("balance left: %.2f USD" % state["balance"])
    if changed or len(again) != len(writes):
        raise SystemExit("demo: the second pass was not a no-op")
    print("demo: done; the simulator is stopped")


if __name__ == "__main__":
    main()
