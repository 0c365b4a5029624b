"""A real ansible-rulebook run of the example rulebook against the simulator (make eda-tests).

Needs .venv-eda (tests/eda/requirements.txt), a Java 17+ runtime and the staged collection (make stage). The
example rulebook runs with a 10-second interval; its two rules fire from changes in the simulator: a Berlin number
whose documents get verified turns `on` and is routed by route_numbers, and the number that expires in 5 days is
prolonged by prolong_number.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS_PATH = os.environ.get("ZADARMA_COLLECTIONS_PATH") or os.path.join(REPO_ROOT, "build", "collections")
STAGED = os.path.join(COLLECTIONS_PATH, "ansible_collections", "zadarma", "telephony")
VENV_BIN = os.path.dirname(sys.executable)
sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "simulator"))
sys.path.insert(0, COLLECTIONS_PATH)
from zadarma_sim.process import SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

BERLIN_DIRECTION, BERLIN_NUMBER = 3766, "49301000000"  # seed: the first available Berlin number
NEW_YORK = "12125550199"                              # seed: unrouted, 5 days left


@pytest.fixture
def simulator():
    process = SimulatorProcess()
    process.start()
    try:
        yield process
    finally:
        process.cleanup()


def control(simulator, method, path, body=None):
    import urllib.request
    request = urllib.request.Request(simulator.url + path, method=method, data=None if body is None else
                                     json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.build_opener().open(request, timeout=30) as response:
        return json.loads(response.read().decode() or "null")


def numbers(simulator):
    return dict((n["number"], n) for n in control(simulator, "GET", "/_sim/state")["numbers"])


def wait_for(predicate, timeout, what, process):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        assert process.poll() is None, "ansible-rulebook exited early"
        time.sleep(0.5)
    pytest.fail("timed out waiting for " + what)


def test_rulebook_fires_when_a_number_turns_on(simulator, tmp_path):
    if not os.path.isdir(STAGED):
        pytest.fail("the staged collection is missing (%s): run `make stage` first" % STAGED)
    if shutil.which("java") is None:
        pytest.fail("ansible-rulebook needs a Java 17+ runtime (Debian: openjdk-17-jre-headless)")
    from ansible_collections.zadarma.telephony.plugins.module_utils._client import ZadarmaClient

    # A Berlin number ordered with a passport that is not verified yet: status `checking`.
    client = ZadarmaClient(simulator.api_key, simulator.api_secret, simulator.url)
    control(simulator, "POST", "/_sim/config", {"auto_verify": False})
    client.request("POST", "documents/upload", dict(group_id=0, document_type="passport"),
                   file=("passport.pdf", b"%PDF-1.4 x", "application/pdf"))
    client.request("POST", "direct_numbers/order", dict(direction_id=BERLIN_DIRECTION, documents_group_id=0))
    assert numbers(simulator)[BERLIN_NUMBER]["status"] == "checking"
    stop_date = numbers(simulator)[NEW_YORK]["stop_date"]

    with open(os.path.join(STAGED, "extensions", "eda", "rulebooks", "number_events.yml"), encoding="utf-8") as handle:
        rulebook = yaml.safe_load(handle)
    rulebook[0]["sources"][0]["zadarma.telephony.number_events"]["interval"] = 10
    (tmp_path / "rulebook.yml").write_text(yaml.safe_dump(rulebook))
    (tmp_path / "inventory.yml").write_text(json.dumps({"all": {
        "hosts": {"localhost": {}, "office_berlin": {"zadarma_numbers": [{"number": BERLIN_NUMBER, "sip_id": "00003"}]}},
        "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}))

    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "ZADARMA_")))
    env.update(simulator.environment())
    env.update(PATH=VENV_BIN + os.pathsep + env.get("PATH", ""), ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH,
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"))
    log_path = tmp_path / "rulebook.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([os.path.join(VENV_BIN, "ansible-rulebook"), "-r", str(tmp_path / "rulebook.yml"),
                                    "-i", str(tmp_path / "inventory.yml"), "--print-events", "-v"],
                                   cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            # The baseline poll: New York expires in 5 days, so prolong_number runs.
            wait_for(lambda: numbers(simulator)[NEW_YORK]["stop_date"] != stop_date, 120,
                     "prolong_number to prolong %s" % NEW_YORK, process)
            # The documents are verified: the number turns on, the next poll sees it, route_numbers routes it.
            control(simulator, "POST", "/_sim/state", {"verify_files": True})
            wait_for(lambda: numbers(simulator)[BERLIN_NUMBER]["sip"] == "00003", 120,
                     "route_numbers to route %s" % BERLIN_NUMBER, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            output = log_path.read_text(errors="replace")
            print(output[-6000:])  # shown by pytest when the test fails

    writes = [(e["http_method"], e["path"], e["params"].get("number")) for e in control(simulator, "GET", "/_sim/log")["requests"]
              if e["write"]]
    assert ("POST", "/v1/direct_numbers/prolong/", NEW_YORK) in writes
    assert ("PUT", "/v1/direct_numbers/set_sip_id/", BERLIN_NUMBER) in writes
    assert writes.count(("POST", "/v1/direct_numbers/prolong/", NEW_YORK)) == 1, "prolonged once per stop date"
    assert '"type": "number_status_changed"' in output or "'type': 'number_status_changed'" in output
    assert simulator.api_secret not in output
