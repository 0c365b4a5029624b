# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the event source zadarma.telephony.number_events: a list-backed queue, scripted HTTP
(``responses``), a fake sleep that moves from one scripted poll to the next, and a fixed date."""

from __future__ import annotations

import asyncio
import datetime
import json
import logging

import pytest
import responses

from ansible_collections.zadarma.telephony.plugins.module_utils._client import RetryPolicy, ZadarmaClient
from ansible_collections.zadarma.telephony.tests.unit.extensions.eda.source_harness import ListQueue, Stop, load_source

KEY = 'test_key_1234567890'
SECRET = 'test_secret_abcdef'
BASE = 'https://api.zadarma.com'
TODAY = datetime.date(2026, 6, 1)


number_events = load_source()


def stop_in(days):
    return (TODAY + datetime.timedelta(days=days)).strftime('%Y-%m-%d 10:00:00')


def api_number(number, **values):
    item = dict(number=number, status='on', country='United Kingdom', number_name='', sip='00001',
                sip_name='Reception', start_date='2026-01-01 10:00:00', stop_date=stop_in(30), monthly_fee='2.00',
                currency='USD', channels=2, minutes=0, autorenew='true', is_on_test='false', type='common')
    item.update(values)
    return item


class Script(object):
    """Scripted polls: each is (numbers, balance) or an HTTP error (status, message) for the owned numbers."""

    def __init__(self, api, polls):
        self.polls = polls
        self.index = 0
        self.per_poll = [0] * len(polls)  # requests sent during each poll
        api.add_callback(responses.GET, BASE + '/v1/direct_numbers/', callback=self._numbers)
        api.add_callback(responses.GET, BASE + '/v1/info/balance/', callback=self._balance)

    def _answer(self, body, status=200):
        self.per_poll[self.index] += 1
        return status, {'X-RateLimit-Remaining': '90', 'X-RateLimit-Reset': '60'}, json.dumps(body)

    def _numbers(self, _request):
        poll = self.polls[self.index]
        if isinstance(poll, tuple) and isinstance(poll[0], int):
            return self._answer(dict(status='error', message=poll[1]), poll[0])
        return self._answer(dict(status='success', info=poll['numbers']))

    def _balance(self, _request):
        return self._answer(dict(status='success', balance=self.polls[self.index]['balance'], currency='USD'))

    async def sleep(self, seconds):
        assert seconds == 10
        self.index += 1
        if self.index == len(self.polls):
            raise Stop()


def client():
    return ZadarmaClient(KEY, SECRET, BASE, retry=RetryPolicy(transient_retries=0, rate_limit_retries=1, jitter=0),
                         sleep=lambda seconds: None)


def run(polls, balance_below=None, expiring_days=14):
    """Run the source over the scripted polls; returns (events, requests per poll)."""
    queue = ListQueue()
    settings = dict(interval=10, expiring_days=expiring_days, balance_below=balance_below)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        script = Script(api, polls)
        with pytest.raises(Stop):
            asyncio.run(number_events.watch(queue, client(), settings, sleep=script.sleep, today=lambda: TODAY))
    return [event['zadarma'] for event in queue.events], script.per_poll


def poll(*numbers, balance=100.0):
    return dict(numbers=list(numbers), balance=balance)


LONDON = api_number('442037691880')
NEW_YORK = api_number('12125550199', sip='', autorenew='false', stop_date=stop_in(5))


def test_baseline_emits_only_what_is_already_true():
    events, per_poll = run([poll(LONDON, NEW_YORK, balance=4.5)], balance_below=5)
    assert [(e['type'], e.get('number')) for e in events] == [('number_expiring', '12125550199'), ('balance_low', None)]
    assert events[0]['days_left'] == 5 and events[0]['record']['autoprolongation'] is False
    assert events[1] == dict(type='balance_low', balance=4.5, currency='USD', threshold=5.0)
    assert per_poll == [2]


def test_changes_between_polls():
    ordered = api_number('4930100001', status='checking', sip='', type='order')
    rerouted = api_number('442037691880', sip='00002', number_name='Desk')
    events, per_poll = run([
        poll(LONDON, ordered),
        poll(rerouted, dict(ordered, status='on', type='common'), NEW_YORK),
        poll(rerouted, dict(ordered, status='on', type='common')),
    ])
    assert [(e['type'], e['number']) for e in events] == [
        ('number_added', '12125550199'),
        ('number_changed', '442037691880'),
        ('number_status_changed', '4930100001'),
        ('number_expiring', '12125550199'),
        ('number_removed', '12125550199'),
    ]
    assert events[0]['record']['sip'] is None and events[0]['record']['stop_date'] == stop_in(5)
    assert events[1]['changes'] == {'sip': {'from': '00001', 'to': '00002'},
                                    'caller_name': {'from': None, 'to': 'Desk'}}
    assert events[1]['record']['sip'] == '00002'
    assert events[2]['from'] == 'checking' and events[2]['to'] == 'on' and events[2]['record']['status'] == 'on'
    assert events[4]['record']['number'] == '12125550199'
    assert per_poll == [1, 1, 1], 'without balance_below the balance is never read'


def test_expiring_once_per_stop_date_and_a_prolongation_rearms_it():
    prolonged = dict(NEW_YORK, stop_date=stop_in(12))
    events = run([poll(NEW_YORK), poll(NEW_YORK), poll(prolonged), poll(prolonged)])[0]
    expiring = [e for e in events if e['type'] == 'number_expiring']
    assert [e['days_left'] for e in expiring] == [5, 12]
    assert [e['type'] for e in events] == ['number_expiring', 'number_changed', 'number_expiring']


def test_expiring_days_bounds_the_window():
    events = run([poll(api_number('442037691880', stop_date=stop_in(7)))], expiring_days=6)[0]
    assert events == []
    events = run([poll(api_number('442037691880', stop_date=stop_in(6)))], expiring_days=6)[0]
    assert [e['days_left'] for e in events] == [6]


def test_balance_low_once_per_fall_and_rearmed_above():
    events, per_poll = run([poll(balance=20), poll(balance=4), poll(balance=3), poll(balance=12), poll(balance=1)],
                           balance_below=5)
    assert [(e['type'], e['balance']) for e in events] == [('balance_low', 4.0), ('balance_low', 1.0)]
    assert per_poll == [2] * 5


def test_a_failed_poll_is_logged_and_the_next_one_goes_on(caplog):
    moved = dict(LONDON, sip='00003')
    with caplog.at_level(logging.WARNING):
        events, per_poll = run([poll(LONDON), (503, 'Service Unavailable'), (429, 'You exceeded the rate limit'),
                                (400, 'Wrong parameter'), poll(moved)])
    assert [(e['type'], e['changes']) for e in events] == [('number_changed', {'sip': {'from': '00001', 'to': '00003'}})]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert 'GET /v1/direct_numbers/' in warnings[0] and 'HTTP 503' in warnings[0]
    assert 'rate limited' in warnings[1]
    assert 'Wrong parameter' in warnings[2]
    assert all(SECRET not in text for text in warnings)
    assert per_poll[1] == 1 and per_poll[2] == 2  # no retry of the 5xx; one wait for the rate limit


@pytest.mark.parametrize('args, message', [
    (dict(interval=5), 'interval must be at least 10'),
    (dict(interval='often'), 'interval must be an integer'),
    (dict(expiring_days='soon'), 'expiring_days must be an integer'),
    (dict(balance_below='low'), 'balance_below must be a number'),
    (dict(timeout=0), 'timeout must be at least 1'),
    (dict(validate_certs='maybe'), 'validate_certs must be true or false'),
    (dict(api_url='http://api.example.com'), 'api_url: plain http'),
    (dict(api_url='api.zadarma.com'), 'api_url: must be scheme://host'),
    (dict(api_url='https://api.example.com', validate_certs=False), 'api_url'),
    (dict(api_key=''), 'api_key is not set'),
    (dict(api_secret=None), 'api_secret is not set.*ZADARMA_API_SECRET'),
    (dict(delay=10), 'unknown argument.*delay'),
])
def test_bad_args_fail_at_start_before_any_request(monkeypatch, args, message):
    monkeypatch.delenv('ZADARMA_API_SECRET', raising=False)
    full = dict(api_key=KEY, api_secret=SECRET)
    full.update(args)
    with responses.RequestsMock() as api:
        with pytest.raises(ValueError, match=message):
            asyncio.run(number_events.main(ListQueue(), full))
        assert not api.calls


def test_args_fall_back_to_the_environment(monkeypatch):
    monkeypatch.setenv('ZADARMA_API_KEY', KEY)
    monkeypatch.setenv('ZADARMA_API_SECRET', SECRET)
    monkeypatch.setenv('ZADARMA_API_URL', 'http://127.0.0.1:8765/')
    settings = number_events.parse_args({})
    assert (settings['api_key'], settings['api_secret'], settings['api_url']) == (KEY, SECRET, 'http://127.0.0.1:8765')
    assert (settings['interval'], settings['expiring_days'], settings['balance_below']) == (300, 14, None)
    assert settings['validate_certs'] is True and settings['timeout'] == 30
