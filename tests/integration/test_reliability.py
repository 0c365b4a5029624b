"""Faults, load and concurrency never cost money, data or secrets (real playbooks, a real simulator over HTTP).

Every playbook output of these tests is also checked for the secret, Authorization values and
signatures by the driver (conftest.py), at -vvvv.
"""

from __future__ import annotations

import json
import re
import threading
import time

import pytest

from conftest import output_tail, run_playbook

OWNED = "442037691880"          # seed: routed to 00001
LONDON = 13755                  # seed: connect 0, monthly 2 USD, no documents
FREE_LONDON = "442030000042"    # seed: available in London


def playbook(tmp_path, tasks, hosts="localhost", name="playbook.yml"):
    """A one-play playbook from a list of task dicts (JSON is YAML)."""
    path = tmp_path / name
    path.write_text(json.dumps([{"name": "Scenario", "hosts": hosts, "gather_facts": False, "tasks": tasks}]))
    return path


def task(module, register="result", **args):
    return {"name": module, "zadarma.telephony." + module: args, "register": register}


def requests_to(simulator, path, http_method=None, settle=0.0):
    """The logged requests to a path; with settle, wait that long for a delayed request to be logged first."""
    deadline = time.monotonic() + settle
    while True:
        found = [e for e in simulator.log() if e["path"] == path and (http_method is None or e["http_method"] == http_method)]
        if found or time.monotonic() >= deadline:
            return found
        time.sleep(0.2)


def run_ok(path, simulator, **kwargs):
    rc, output = run_playbook(path, simulator, **kwargs)
    assert rc == 0, output_tail(output)
    return output


def run_failing(path, simulator, **kwargs):
    rc, output = run_playbook(path, simulator, **kwargs)
    assert rc != 0, output_tail(output)
    return output


# 429 storms -----------------------------------------------------------------------------------------------
def test_429_storm_30_hosts_10_forks_all_end_ok(simulator, tmp_path):
    numbers = ["4930555%04d" % i for i in range(30)]
    simulator.set_state(add_numbers=[{"number": n, "sip": "00001"} for n in numbers])
    simulator.config(rate_limit=15, rate_window=4)
    inventory = {"all": {"hosts": dict(("office%02d" % i, {"office_number": n}) for i, n in enumerate(numbers))}}
    path = playbook(tmp_path, [task("zadarma_number", number="{{ office_number }}", sip_id="00002")], hosts="all")

    output = run_ok(path, simulator, inventory=inventory, forks=10, verbosity=1)

    assert re.search(r"ok=1\s+changed=1\s+unreachable=0\s+failed=0", output)
    assert len(re.findall(r"^office\d\d\s+: ok=1\s+changed=1", output, re.M)) == 30
    log = simulator.log()
    assert any(e["status"] == 429 for e in log), "the storm never hit the limit: the test proves nothing"
    routed = dict((n["number"], n["sip"]) for n in simulator.state()["numbers"])
    assert all(routed[n] == "00002" for n in numbers)
    assert len([e for e in log if e["path"] == "/v1/direct_numbers/set_sip_id/" and e["status"] == 200]) == 30


# Reads retry within their bounds ----------------------------------------------------------------------------
def test_reads_retry_after_5xx_malformed_body_and_timeout(simulator, tmp_path):
    simulator.fault(path="/v1/direct_numbers/", kind="status", status=503)
    simulator.fault(path="/v1/direct_numbers/", kind="malformed")
    simulator.fault(path="/v1/direct_numbers/", kind="delay", seconds=3)
    path = playbook(tmp_path, [task("zadarma_number_info", timeout=2)])

    run_ok(path, simulator)

    assert len(requests_to(simulator, "/v1/direct_numbers/")) == 4  # three faults, then the answer


def test_reads_give_up_after_their_bound_and_name_the_method(simulator, tmp_path):
    simulator.fault(path="/v1/direct_numbers/", kind="status", status=502, count=10)
    path = playbook(tmp_path, [task("zadarma_number_info")])

    output = run_failing(path, simulator)

    assert "GET /v1/direct_numbers/: HTTP 502" in output
    assert len(requests_to(simulator, "/v1/direct_numbers/")) == 4  # the first try and 3 retries


# Writes that spend money or upload are not repeated ------------------------------------------------------------
MONEY_WRITES = {
    "order": (dict(number=FREE_LONDON, direction_id=LONDON, country="GB"), "/v1/direct_numbers/order/"),
    "prolong": (dict(number=OWNED, paid_until="2099-01-01"), "/v1/direct_numbers/prolong/"),
}


@pytest.mark.parametrize("fault", [dict(kind="status", status=503), dict(kind="malformed"),
                                   dict(kind="delay", seconds=4), dict(kind="drop_after_commit")],
                         ids=["5xx", "malformed", "timeout", "dropped"])
@pytest.mark.parametrize("write", ["order", "prolong"])
def test_money_writes_are_sent_once_whatever_the_failure(simulator, tmp_path, write, fault):
    args, api_path = MONEY_WRITES[write]
    if write == "prolong":
        args = dict(args, paid_until="2027-06-01")
    simulator.fault(path=api_path, **fault)
    path = playbook(tmp_path, [task("zadarma_number", timeout=2, **args)])

    output = run_failing(path, simulator)

    assert "POST %s" % api_path in output
    assert "NOT sent again" in output and "Check the current state" in output
    assert len(requests_to(simulator, api_path, settle=5)) == 1  # a delayed request is logged when it ends
    time.sleep(fault.get("seconds", 0))
    assert len(requests_to(simulator, api_path)) == 1


def test_upload_is_sent_once_after_a_5xx(simulator, tmp_path):
    pdf = tmp_path / "passport.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    simulator.fault(path="/v1/documents/upload/", kind="status", status=500)
    path = playbook(tmp_path, [task("zadarma_document_file", group_id=0, document_type="passport", path=str(pdf))])

    output = run_failing(path, simulator)

    assert "POST /v1/documents/upload/" in output and "NOT sent again" in output
    assert len(requests_to(simulator, "/v1/documents/upload/")) == 1


# Commit, then drop the connection: the re-run finds the real state -------------------------------------------
def test_dropped_order_is_found_owned_on_the_rerun(simulator, tmp_path):
    simulator.fault(path="/v1/direct_numbers/order/", kind="drop_after_commit")
    args = dict(number=FREE_LONDON, direction_id=LONDON, country="GB", sip_id="00002")
    path = playbook(tmp_path, [task("zadarma_number", **args)])
    balance = simulator.state()["balance"]

    first = run_failing(path, simulator)
    second = run_ok(path, simulator, verbosity=1)

    assert "may have been processed" in first
    assert '"ordered": false' in second
    orders = requests_to(simulator, "/v1/direct_numbers/order/")
    assert len(orders) == 1
    state = simulator.state()
    assert state["balance"] == pytest.approx(balance - 2.0)  # London: connect 0 + one month at 2
    assert [n["sip"] for n in state["numbers"] if n["number"] == FREE_LONDON] == ["00002"]


def test_dropped_order_of_a_numberless_entry_is_adopted_not_bought_again(simulator, tmp_path):
    simulator.fault(path="/v1/direct_numbers/order/", kind="drop_after_commit")
    path = playbook(tmp_path, [task("zadarma_numbers", numbers=[dict(direction_id=LONDON, country="GB", sip_id="00003")])])

    run_failing(path, simulator)
    run_ok(path, simulator)
    run_ok(path, simulator)

    assert len(requests_to(simulator, "/v1/direct_numbers/order/")) == 1
    routed = [n for n in simulator.state()["numbers"] if n["sip"] == "00003"]
    assert len(routed) == 1 and routed[0]["number"].startswith("4420")


def test_dropped_prolong_is_not_paid_again(simulator, tmp_path):
    simulator.fault(path="/v1/direct_numbers/prolong/", kind="drop_after_commit")
    path = playbook(tmp_path, [task("zadarma_number", number=OWNED, paid_until="2027-03-01")])
    balance = simulator.state()["balance"]

    run_failing(path, simulator)
    second = run_ok(path, simulator, verbosity=1)

    assert "changed=0" in second
    prolongs = requests_to(simulator, "/v1/direct_numbers/prolong/")
    assert len(prolongs) == 1
    months = int(prolongs[0]["params"]["months"])
    assert simulator.state()["balance"] == pytest.approx(balance - 2.0 * months)


# Two playbooks ordering the same number at the same time -----------------------------------------------------
def test_two_concurrent_orders_of_one_number_buy_it_once(simulator, tmp_path):
    simulator.config(latency_ms=300)  # both read "not owned" before either orders
    path = playbook(tmp_path, [task("zadarma_number", number=FREE_LONDON, direction_id=LONDON, country="GB")])
    balance = simulator.state()["balance"]
    results = []

    def run():
        results.append(run_playbook(path, simulator, verbosity=1))

    threads = [threading.Thread(target=run), threading.Thread(target=run)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = [e for e in requests_to(simulator, "/v1/direct_numbers/order/") if e["status"] == 200]
    assert len(accepted) == 1
    assert simulator.state()["balance"] == pytest.approx(balance - 2.0)
    codes = sorted(rc for rc, output in results)
    assert codes[0] == 0
    loser = [output for rc, output in results if rc != 0]
    assert not loser or "Number is not available" in loser[0] or "not available to order" in loser[0]


# Secrets and personal data ------------------------------------------------------------------------------------
WRONG_SECRET = "wrong-secret-must-not-show-7d1c"


PERSON = dict(email="anna@example.com", salutation="MS", first_name="Anna", last_name="Schmidt", country="DE",
              city="Berlin", address="Unter den Linden 5", zip_code="10117", street="Unter den Linden",
              building_number="5", phone="4930123456", type_of_id="PASSPORT", id_number="PIIROLE554433",
              date_of_birth="1985-04-12")
MODULE_CALLS = {
    "zadarma_number_info": dict(),
    "zadarma_number": dict(number=OWNED, sip_id="00002"),
    "zadarma_numbers": dict(numbers=[dict(number=OWNED, sip_id="00002")]),
    "zadarma_document_group": dict(PERSON, group_id=0),
    "zadarma_document_file": dict(group_id=0, document_type="passport", path="{{ playbook_dir }}/passport.pdf"),
}
ROLES = ("number_routing", "number_order")
FAILURES = {
    "success": None,
    "wrong-secret": dict(env={"ZADARMA_API_SECRET": WRONG_SECRET}),
    "5xx": dict(fault=dict(path="*", kind="status", status=503, count=8)),
    "timeout": dict(fault=dict(path="*", kind="delay", seconds=2, count=8)),
}


def secrets_run(simulator, tmp_path, what, failure):
    """Run a module or a role at -vvvv --diff with module_defaults (timeout 1 s), under one kind of failure."""
    (tmp_path / "passport.pdf").write_bytes(b"%PDF-1.4\n% test\n")
    play = {"name": "Secrets", "hosts": "all", "gather_facts": False,
            "module_defaults": {"group/zadarma.telephony.zadarma": {"timeout": 1}}}
    if what in MODULE_CALLS:
        play["tasks"] = [dict(task(what, **MODULE_CALLS[what]), delegate_to="localhost")]
    else:
        play["roles"] = ["zadarma.telephony." + what]
    path = tmp_path / "secrets.yml"
    path.write_text(json.dumps([play]))
    inventory = {"all": {"hosts": {"office_a": {
        "zadarma_numbers": [{"number": OWNED, "sip_id": "00002"}], "number_order_country": "DE",
        "number_order_destination": "Berlin", "number_order_sip_id": "00003",
        "number_order_documents_group": PERSON, "number_order_documents": [
            {"path": str(tmp_path / "passport.pdf"), "document_type": "passport"}]}}}}
    settings = FAILURES[failure] or {}
    if "fault" in settings:
        simulator.fault(**settings["fault"])
    return run_playbook(path, simulator, inventory=inventory, verbosity=4, diff=True, env=settings.get("env"))


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("what", sorted(MODULE_CALLS) + list(ROLES))
def test_no_secret_in_any_output_at_vvvv(simulator, tmp_path, what, failure):
    rc, output = secrets_run(simulator, tmp_path, what, failure)

    assert (rc == 0) == (failure == "success"), output_tail(output)
    assert WRONG_SECRET not in output and simulator.api_secret not in output
    assert PERSON["id_number"] not in output and PERSON["date_of_birth"] not in output
    assert not re.search(r"Authorization", output), "an Authorization header is shown"
    if failure == "wrong-secret":
        assert "authorization failed (HTTP 401" in output
    elif failure != "success":
        assert re.search(r"(GET|PUT|POST) /v1/[a-z0-9_/-]+/?: ", output), "the failure does not name the method"
    # conftest.py checks this output for the signatures of every logged request, too.


def test_identity_data_stay_out_of_output_and_diff(simulator, tmp_path):
    person = dict(email="pii@example.com", salutation="MR", first_name="Pia", last_name="Private", country="DE",
                  city="Berlin", address="Alexanderplatz 1", zip_code="10178", street="Alexanderplatz",
                  building_number="1", phone="4930123456", type_of_id="PASSPORT", id_number="PIIDOC998877",
                  date_of_birth="1980-02-29")
    moved, bad_date = dict(person), dict(person)
    moved["city"] = "Potsdam"
    bad_date["date_of_birth"] = "1980-02-30"
    tasks = [task("zadarma_document_group", **person),
             task("zadarma_document_group", register="again", **moved),
             dict(task("zadarma_document_group", register="bad", **bad_date), ignore_errors=True)]
    path = playbook(tmp_path, tasks)

    output = run_ok(path, simulator, diff=True)

    assert "PIIDOC998877" not in output
    assert "1980-02-29" not in output and "1980-02-30" not in output
    for value in ("pii@example.com", "Pia", "Private", "Alexanderplatz", "10178", "4930123456", "Potsdam"):
        assert value not in output, value
    assert '"city": "******** (changed)"' in output  # the diff is there and says what changed


# Check mode sends no write ---------------------------------------------------------------------------------
def test_check_mode_of_every_module_sends_no_write(simulator, tmp_path):
    pdf = tmp_path / "passport.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% test\n")
    tasks = [
        task("zadarma_number_info", balance=True),
        task("zadarma_number", number=FREE_LONDON, direction_id=LONDON, country="GB", sip_id="00002", register="order"),
        task("zadarma_number", number=OWNED, sip_id="00003", caller_name="Front desk", paid_until="2027-06-01",
             autoprolongation=False, register="settings"),
        task("zadarma_number", number=OWNED, state="absent", register="lapse"),  # check mode: tasks are independent
        task("zadarma_numbers", numbers=[dict(number=OWNED, test_mode=True), dict(direction_id=3767, sip_id="00003")],
             register="bulk"),
        task("zadarma_document_group", email="c@example.com", salutation="MS", first_name="Cleo", last_name="Check",
             country="DE", city="Berlin", address="Unter den Linden 1", zip_code="10117", street="Unter den Linden",
             building_number="1", phone="4930000001", register="group"),
        task("zadarma_document_file", group_id=0, document_type="passport", path=str(pdf), register="file"),
        {"name": "Every managing task would change something", "ansible.builtin.assert": {"that": [
            "order.changed and order.ordered and order.cost == 2.0", "settings.changed", "lapse.changed",
            "bulk.changed and bulk.ordered | length == 1", "group.changed", "file.changed"]}},
    ]
    path = playbook(tmp_path, tasks)

    run_ok(path, simulator, check=True, diff=True)

    assert simulator.writes() == []
