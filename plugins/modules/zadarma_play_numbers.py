#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_play_numbers
short_description: Order or route the numbers that every host of the play asks for, in one pass, with a result per host
version_added: 0.2.0
description:
  - The engine of the roles C(zadarma.telephony.number_order) and C(zadarma.telephony.number_routing); use the roles.
  - Run it once for the play (C(run_once), delegated to C(localhost)). It reads each host of the play batch (its
    role variables, through C(hostvars)), refuses a host whose request is wrong (a typo in a role variable, an
    incomplete order, a number declared twice) before any request, then calls
    M(zadarma.telephony.zadarma_number_info), M(zadarma.telephony.zadarma_document_group),
    M(zadarma.telephony.zadarma_document_file) and M(zadarma.telephony.zadarma_numbers) once for the whole
    play, and files every outcome under its host's name in RV(hosts).
  - It never fails by itself for one host's sake; the roles fail each host from RV(hosts).
  - The action runs on the controller; credentials and C(module_defaults) reach the modules it calls.
author: zadarma.telephony contributors (@zadarma)
options:
  role:
    description:
      - Whose variables to read. V(number_order) reads C(number_order_*) (one order per host);
        V(number_routing) reads C(zadarma_numbers) (the numbers each host declares).
    type: str
    required: true
    choices: [number_order, number_routing]
  show_personal_data:
    description:
      - With V(number_order), put the document group's record (personal data) into each host's result and ask
        M(zadarma.telephony.zadarma_document_group) to show it. Off, no personal field is ever returned.
    type: bool
    default: false
extends_documentation_fragment:
  - zadarma.telephony.attributes
  - zadarma.telephony.auth
  - zadarma.telephony.auth.user_id
attributes:
  check_mode:
    details: The modules it calls run in check mode; nothing is written.
  diff_mode:
    details: The diffs of the modules it calls, personal values masked.
seealso:
  - module: zadarma.telephony.zadarma_numbers
'''

EXAMPLES = r'''
- name: Converge the numbers every host of the play declares in zadarma_numbers, in one request set
  zadarma.telephony.zadarma_play_numbers:
    role: number_routing
  run_once: true
  delegate_to: localhost
  register: routing

- name: Show each host's outcome
  ansible.builtin.debug:
    msg: "{{ routing.hosts[inventory_hostname] | default('this host declares no numbers') }}"
'''

RETURN = r'''
hosts:
  description:
    - One item per host of the play batch that asked for something, by inventory host name. Hosts that ask
      for nothing are left out (with V(number_order), they are listed in RV(without_order)).
    - C(failed) and C(msg) (a string when failed, else a list of lines to show); C(changed); with
      V(number_routing), C(numbers) (the host's numbers after the run, as C(numbers[]) of
      M(zadarma.telephony.zadarma_numbers)); with V(number_order), C(result) (C(number), C(ordered), C(cost),
      C(currency), C(destination), C(sip_id), C(status)).
  returned: always
  type: dict
  sample: {"office_london": {"failed": false, "changed": false,
           "msg": ["442037691880: rings on 00001, on, paid until 2026-12-22 10:00:00, renews automatically"]}}
without_order:
  description: With V(number_order), the hosts of the play that declare no order (no C(number_order_country) nor C(number_order_destination)).
  returned: when role is number_order
  type: list
  elements: str
  sample: ["office_new_york"]
purchases:
  description:
    - What this run paid for (orders and prolongations), as RV(zadarma.telephony.zadarma_numbers#module:purchases).
    - In check mode, what it would pay for.
  returned: always
  type: list
  elements: dict
  sample: [{"action": "order", "number": "442030000000", "cost": 2.0, "currency": "USD",
            "request": "POST direct_numbers/order", "summary": "order 442030000000 in London (13755) for 1 month(s)"}]
writes_done:
  description: When a module call failed, the writes it had already sent (a re-run picks up from there).
  returned: when a module call failed
  type: list
  elements: dict
ambiguous:
  description: When a module call failed, whether its last request may have been processed (check before paying again).
  returned: when a module call failed
  type: bool
method:
  description: When a module call failed, the request it failed on, such as C(POST /v1/direct_numbers/order/).
  returned: when a module call failed
  type: str
'''
