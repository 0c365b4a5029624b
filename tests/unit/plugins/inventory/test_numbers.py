# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the inventory plugin zadarma.telephony.numbers: the plugin is loaded by Ansible's plugin loader
and parses a real configuration file; HTTP is scripted with ``responses``."""

from __future__ import annotations

import datetime
import json
import os

import pytest
import responses

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from ansible.template import Templar

KEY = 'test_key_1234567890'
SECRET = 'test_secret_abcdef'
URL = 'https://api.zadarma.com/v1/direct_numbers/'


def stop_in(days):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return moment.strftime('%Y-%m-%d 10:00:00')


def api_number(number, **values):
    item = dict(number=number, status='on', country='United Kingdom', description='London', number_name='',
                sip='00001', sip_name='Reception', start_date='2026-01-01 10:00:00', stop_date=stop_in(30),
                monthly_fee='2.00', currency='USD', channels=2, minutes=0, autorenew='true', is_on_test='false',
                type='common')
    item.update(values)
    return item


OWNED = [
    api_number('442037691880', number_name='Reception'),
    api_number('12125550199', sip='', sip_name=None, autorenew='false', stop_date=stop_in(5), country='United States',
               monthly_fee='3.00'),
    api_number('4930100000', status='checking', sip='', stop_date=stop_in(-2), number_name='{{ 7 * 6 }}', type='order'),
]


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    for name in ('ZADARMA_API_KEY', 'ZADARMA_API_SECRET', 'ZADARMA_API_URL'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('ZADARMA_API_KEY', KEY)
    monkeypatch.setenv('ZADARMA_API_SECRET', SECRET)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def owned(api, items=None):
    api.add(responses.GET, URL, json=dict(status='success', info=OWNED if items is None else items))


def parse(tmp_path, config=None, cache=True, name='numbers.zadarma.yml'):
    path = tmp_path / name
    path.write_text(json.dumps(dict(dict(plugin='zadarma.telephony.numbers'), **(config or {}))))
    loader = DataLoader()
    plugin = inventory_loader.get('zadarma.telephony.numbers')
    assert plugin.verify_file(str(path))
    inventory = InventoryData()
    plugin.parse(inventory, loader, str(path), cache=cache)
    if (config or {}).get('cache'):
        plugin.update_cache_if_changed()  # what the inventory manager does after parse
    return inventory


def host_vars(inventory, name):
    return inventory.get_host(name).get_vars()


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].get_hosts()) if group in inventory.groups else []


def test_verify_file_wants_the_zadarma_suffix(tmp_path):
    plugin = inventory_loader.get('zadarma.telephony.numbers')
    for name, accepted in (('numbers.zadarma.yml', True), ('zadarma.yaml', True), ('numbers.yml', False),
                           ('zadarma.json', False)):
        path = tmp_path / name
        path.write_text('plugin: zadarma.telephony.numbers\n')
        assert plugin.verify_file(str(path)) is accepted, name


def test_one_host_per_number_with_typed_variables(api, tmp_path):
    owned(api)
    inventory = parse(tmp_path)

    assert len(api.calls) == 1 and api.calls[0].request.method == 'GET'
    assert sorted(inventory.hosts) == ['12125550199', '442037691880', '4930100000']
    london = host_vars(inventory, '442037691880')
    assert london['zadarma_number'] == '442037691880'
    assert london['zadarma_status'] == 'on'
    assert london['zadarma_sip'] == '00001'
    assert london['zadarma_caller_name'] == 'Reception'
    assert london['zadarma_autoprolongation'] is True and london['zadarma_test_mode'] is False
    assert london['zadarma_stop_date'] == OWNED[0]['stop_date']
    assert london['zadarma_days_left'] == 30 and isinstance(london['zadarma_days_left'], int)
    assert london['zadarma_monthly_fee'] == 2.0 and isinstance(london['zadarma_monthly_fee'], float)
    assert london['zadarma_currency'] == 'USD' and london['zadarma_country'] == 'United Kingdom'
    assert london['zadarma_channels'] == 2
    assert london['ansible_connection'] == 'local'
    new_york = host_vars(inventory, '12125550199')
    assert new_york['zadarma_sip'] is None and new_york['zadarma_caller_name'] is None
    assert new_york['zadarma_autoprolongation'] is False
    assert host_vars(inventory, '4930100000')['zadarma_days_left'] == -2


def test_groups(api, tmp_path):
    owned(api)
    inventory = parse(tmp_path, dict(expiring_days=5))

    assert members(inventory, 'zadarma') == ['12125550199', '442037691880', '4930100000']
    assert members(inventory, 'zadarma_status_on') == ['12125550199', '442037691880']
    assert members(inventory, 'zadarma_status_checking') == ['4930100000']
    assert members(inventory, 'zadarma_routed') == ['442037691880']
    assert members(inventory, 'zadarma_unrouted') == ['12125550199', '4930100000']
    assert members(inventory, 'zadarma_expiring') == ['12125550199', '4930100000']  # 5 <= 5, and -2
    assert members(inventory, 'zadarma_autoprolongation_off') == ['12125550199']


def test_expiring_days_default_is_14(api, tmp_path):
    owned(api, [api_number('442037691880', stop_date=stop_in(14)), api_number('442037691881', stop_date=stop_in(15))])
    assert members(parse(tmp_path), 'zadarma_expiring') == ['442037691880']


def test_api_strings_are_never_templated(api, tmp_path):
    owned(api)
    value = host_vars(parse(tmp_path), '4930100000')['zadarma_caller_name']
    assert Templar(loader=DataLoader()).template(value) == '{{ 7 * 6 }}'


def test_constructed_options(api, tmp_path):
    owned(api)
    inventory = parse(tmp_path, dict(
        compose=dict(ansible_connection="'ansible.builtin.local'", fee_cents='zadarma_monthly_fee * 100'),
        groups=dict(cheap='zadarma_monthly_fee < 3'),
        keyed_groups=[dict(key='zadarma_country', prefix='country')],
        strict=True,
    ))
    london = host_vars(inventory, '442037691880')
    # compose renders native types from ansible-core 2.19 on, and text before it.
    assert london['ansible_connection'] == 'ansible.builtin.local' and float(london['fee_cents']) == 200.0
    assert members(inventory, 'cheap') == ['442037691880', '4930100000']
    assert members(inventory, 'country_United_States') == ['12125550199']


def test_cache_serves_within_its_timeout_and_never_holds_the_secret(api, tmp_path):
    owned(api)
    cache_dir = tmp_path / 'cache'
    config = dict(cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(cache_dir),
                  cache_timeout=3600)
    first = parse(tmp_path, config)
    assert len(api.calls) == 1
    second = parse(tmp_path, config)
    assert len(api.calls) == 1, 'a warm cache must not call the API'
    assert sorted(second.hosts) == sorted(first.hosts)
    assert host_vars(second, '12125550199') == host_vars(first, '12125550199')
    parse(tmp_path, config, cache=False)  # --flush-cache
    assert len(api.calls) == 2

    files = [os.path.join(root, name) for root, _dirs, names in os.walk(str(cache_dir)) for name in names]
    assert files
    for name in files:
        with open(name, encoding='utf-8') as handle:
            text = handle.read()
        assert SECRET not in text and KEY not in text


def test_secret_from_the_source_file_is_used_and_not_cached(api, tmp_path, monkeypatch):
    monkeypatch.delenv('ZADARMA_API_SECRET')
    owned(api)
    parse(tmp_path, dict(api_secret=SECRET))
    assert api.calls[0].request.headers['Authorization'].startswith(KEY + ':')


@pytest.mark.parametrize('unset, option', [('ZADARMA_API_KEY', 'api_key'), ('ZADARMA_API_SECRET', 'api_secret')])
def test_missing_credentials_name_the_option(api, tmp_path, monkeypatch, unset, option):
    monkeypatch.delenv(unset)
    with pytest.raises(AnsibleError, match='%s is not set.*%s' % (option, unset)):
        parse(tmp_path)
    assert not api.calls


@pytest.mark.parametrize('url', ['http://api.example.com', 'ftp://127.0.0.1', 'api.zadarma.com'])
def test_bad_api_url_names_the_option(api, tmp_path, url):
    with pytest.raises(AnsibleError, match='api_url'):
        parse(tmp_path, dict(api_url=url))
    assert not api.calls


def test_api_error_carries_the_api_message(api, tmp_path):
    api.add(responses.GET, URL, status=401, json=dict(status='error', message='Not authorized'))
    with pytest.raises(AnsibleError) as caught:
        parse(tmp_path)
    text = str(caught.value)
    assert 'GET /v1/direct_numbers/' in text and 'Not authorized' in text and 'api_secret' in text
    assert SECRET not in text
