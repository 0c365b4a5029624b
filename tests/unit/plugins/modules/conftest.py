# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the module unit tests; the helpers they go with are in ``module_harness.py``."""

from __future__ import annotations

import pytest
import responses

from ansible.module_utils import basic

from ansible_collections.zadarma.telephony.tests.unit.plugins.modules import module_harness as harness


@pytest.fixture(autouse=True)
def module_exits(monkeypatch):
    """exit_json/fail_json raise ModuleExit/ModuleFail, which harness.run catches."""
    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', harness.exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', harness.fail_json)


@pytest.fixture
def api():
    """Mocked HTTP: every registered answer must be used, and an unregistered request fails."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps
