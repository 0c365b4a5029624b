"""SMS reception through the roles: ordered with the number, then kept like the other settings.

New York (1212) and San Francisco (1415) receive SMS in the simulator's catalogue, London (13755) does not: the
API's per-number read gives null for a London number. The account owns no San Francisco number at the start.
"""

from __future__ import annotations

import os

from conftest import STAGED_COLLECTION, output_tail, run_playbook

ORDER_NUMBER = os.path.join(STAGED_COLLECTION, "playbooks", "order_number.yml")
ROUTE_NUMBERS = os.path.join(STAGED_COLLECTION, "playbooks", "route_numbers.yml")
OFFICE = {"number_order_country": "US", "number_order_destination": "San Francisco",
          "number_order_sip_id": "sf-desk@pbx.example.com", "number_order_receive_sms": True}


def test_order_with_sms_then_rerun_writes_nothing(simulator):
    inventory = {"all": {"hosts": {"office_san_francisco": OFFICE}}}
    rc, output = run_playbook(ORDER_NUMBER, simulator, inventory=inventory)
    assert rc == 0, output_tail(output)
    orders = [w for w in simulator.writes() if w["path"] == "/v1/direct_numbers/order/"]
    assert len(orders) == 1 and orders[0]["params"]["receive_sms"] == "1"
    bought = [n for n in simulator.state()["numbers"] if n["sip"] == "sf-desk@pbx.example.com"]
    assert len(bought) == 1 and bought[0]["receive_sms"] == "true"
    assert [w["path"] for w in simulator.writes()] == ["/v1/direct_numbers/order/", "/v1/direct_numbers/set_sip_id/"]

    mark = simulator.log()[-1]["seq"]
    rc, output = run_playbook(ORDER_NUMBER, simulator, inventory=inventory)
    assert rc == 0, output_tail(output)
    assert simulator.writes(since=mark) == []
    reads = [entry["path"] for entry in simulator.log(since=mark)]
    assert reads.count("/v1/direct_numbers/number/") == 1  # the adopted number's SMS setting, read once


def test_routing_role_turns_sms_off_then_changes_nothing(simulator):
    host = {"zadarma_numbers": [{"number": "+1 212 555 0199", "receive_sms": False},
                                {"number": "+44 20 3769 1880", "receive_sms": False}]}
    inventory = {"all": {"hosts": {"office_new_york": host}}}
    rc, output = run_playbook(ROUTE_NUMBERS, simulator, inventory=inventory)
    assert rc == 0, output_tail(output)
    assert simulator.writes() == []  # New York reads off, London cannot receive SMS: both already so
    assert "changed=0" in output

    mark = simulator.log()[-1]["seq"]
    host["zadarma_numbers"][0]["receive_sms"] = True
    rc, output = run_playbook(ROUTE_NUMBERS, simulator, inventory=inventory, diff=True)
    assert rc == 0, output_tail(output)
    writes = simulator.writes(since=mark)
    assert [(w["path"], w["params"]["value"]) for w in writes] == [("/v1/direct_numbers/receive_sms/", "on")]
    assert "turn SMS reception on for 12125550199" in output
