"""The event source zadarma.telephony.number_events against the simulator while the account changes.

The staged source file is loaded by path, as ansible-rulebook does; its polls use the real client over HTTP.
Between polls the scenario changes the simulator (a routing change, an order, documents verified, the balance
dropping). The real ansible-rulebook run is in tests/eda (make eda-tests).
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os

import pytest

from conftest import STAGED_COLLECTION

HARNESS = os.path.join(STAGED_COLLECTION, "tests", "unit", "extensions", "eda", "source_harness.py")
LONDON, NEW_YORK = "442037691880", "12125550199"   # seed: routed / unrouted, 5 days left
LONDON_DIRECTION, BERLIN_DIRECTION = 13755, 3766
BERLIN_NUMBER = "49301000000"                     # seed: the first available Berlin number


def load_harness():
    """The event source's test harness (tests/unit/extensions/eda/source_harness.py), from the staged copy."""
    if not os.path.exists(HARNESS):
        pytest.fail("the staged collection is missing (%s): run `make stage` first" % HARNESS)
    spec = importlib.util.spec_from_file_location("source_harness", HARNESS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_events_follow_the_simulator(simulator, caplog):
    harness = load_harness()
    source = harness.load_source("number_events_under_test")
    settings = source.parse_args(dict(api_key=simulator.api_key, api_secret=simulator.api_secret, api_url=simulator.url,
                                      interval=10, balance_below=50))
    client = source.ZadarmaClient(settings["api_key"], settings["api_secret"], settings["api_url"],
                                  retry=source.RetryPolicy(backoff=0.05, jitter=0.05))
    simulator.config(auto_verify=False)

    def change_account(poll):
        """What happens to the account after each poll."""
        if poll == 0:
            client.request("PUT", "direct_numbers/set_sip_id", dict(number=LONDON, sip_id="00002"))
            client.request("POST", "direct_numbers/order", dict(direction_id=LONDON_DIRECTION, documents_group_id=0))
            client.request("POST", "documents/upload", dict(group_id=0, document_type="passport"),
                           file=("passport.pdf", b"%PDF-1.4 test", "application/pdf"))
            client.request("POST", "direct_numbers/order", dict(direction_id=BERLIN_DIRECTION, documents_group_id=0))
        elif poll == 1:
            simulator.set_state(verify_files=True, balance=42.0)
        elif poll == 2:
            simulator.fault(path="/v1/direct_numbers/", kind="status", status=503, count=4)
        elif poll == 3:
            client.request("POST", "direct_numbers/prolong", dict(number=NEW_YORK, months=1))

    poll_ends, change_ends = [], []  # simulator log seq after each poll, and after the scenario's changes

    async def sleep(seconds):
        assert seconds == 10
        poll_ends.append(simulator.log()[-1]["seq"])
        if len(poll_ends) == 5:
            raise harness.Stop()
        change_account(len(poll_ends) - 1)
        change_ends.append(simulator.log()[-1]["seq"])

    queue = harness.ListQueue()
    with caplog.at_level(logging.WARNING), pytest.raises(harness.Stop):
        asyncio.run(source.watch(queue, client, settings, sleep=sleep))
    events = [event["zadarma"] for event in queue.events]
    summary = [(e["type"], e.get("number"), e.get("to") or e.get("days_left") or e.get("balance")) for e in events]

    ordered_london = [e["number"] for e in events if e["type"] == "number_added" and e["record"]["status"] == "on"]
    assert len(ordered_london) == 1 and ordered_london[0].startswith("4420")
    assert summary == [
        # poll 0, the baseline: only what is already true
        ("number_expiring", NEW_YORK, 5),
        # poll 1: the rerouting and both orders
        ("number_added", ordered_london[0], None),
        ("number_changed", LONDON, None),
        ("number_added", BERLIN_NUMBER, None),
        # poll 2: the documents verified turn the Berlin number on; the balance fell below 50
        ("number_status_changed", BERLIN_NUMBER, "on"),
        ("balance_low", None, 42.0),
        # poll 3 failed (HTTP 503); poll 4: the prolongation moved New York's stop date out of the window
        ("number_changed", NEW_YORK, None),
    ]
    assert events[2]["changes"] == {"sip": {"from": "00001", "to": "00002"}}
    assert events[3]["record"]["status"] == "checking"
    assert events[4]["from"] == "checking" and events[4]["record"]["status"] == "on"
    assert list(events[6]["changes"]) == ["stop_date"]

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "HTTP 503" in warnings[0]
    assert all(simulator.api_secret not in text for text in warnings)

    # The source's own requests per poll: the owned numbers and the balance, reads only.
    log = simulator.log()
    for poll, end in enumerate(poll_ends):
        start = change_ends[poll - 1] if poll else 0
        sent = [(e["http_method"], e["path"]) for e in log if start < e["seq"] <= end]
        if poll == 3:  # the owned numbers failed: 1 try + 3 retries of the idempotent read, no balance read
            assert sent == [("GET", "/v1/direct_numbers/")] * 4
        else:
            assert sent == [("GET", "/v1/direct_numbers/"), ("GET", "/v1/info/balance/")]
