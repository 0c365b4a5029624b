# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Zadarma endpoints this collection uses: one function per endpoint, and the writes it sends.

The only file that spells an API path (an ``endpoint``). Every read returns normalised records (digits-only
numbers, booleans, floats, ``None`` for unset) in the collection's words; every write is a :class:`Write`
built here and sent with :func:`send`. The functions take any object with the client's
``request(http_method, endpoint, params=None, file=None)``: a plain ``ZadarmaClient`` (inventory and event
plugins) or a :class:`Session`, which caches the GETs of a run and forgets them after any write.
No Ansible imports.
"""

from __future__ import annotations

from ansible_collections.zadarma.telephony.plugins.module_utils._documents import (
    find_group,
    matching_files,
    normalise_errors,
    normalise_file,
    normalise_group,
    normalise_validity,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    empty_to_none,
    number_digits,
    to_bool,
    to_float,
    to_int,
)


NO_PRICE = 'the API publishes no price for this change: it may cost money'


class Write(object):
    """One write request: what is sent, what it is for, and what it costs (None = free).

    ``still_needed(client)``, for a POST: after a 429, reads the state the POST would change and says whether
    it must still be sent (see ``send``). ``price_unknown``: a PUT that may cost money at a price the API does
    not publish; it is paid (listed with a null cost) and, like a POST, never sent twice after an ambiguous
    failure.
    """

    def __init__(self, http_method, endpoint, params, summary, cost=None, currency=None, file=None, still_needed=None,
                 price_unknown=False):
        self.http_method = http_method
        self.endpoint = endpoint
        self.params = params
        self.summary = summary
        self.cost = cost
        self.currency = currency
        self.file = file  # (filename, bytes, content type) for a multipart upload
        self.still_needed = still_needed
        self.price_unknown = price_unknown

    @property
    def paid(self):
        return self.cost is not None or self.price_unknown

    def describe(self):
        item = dict(request='%s %s' % (self.http_method, self.endpoint), summary=self.summary)
        if self.paid:
            item.update(cost=self.cost, currency=self.currency)
        if self.price_unknown:
            item.update(note=NO_PRICE)
        return item


class Session(object):
    """A client for one run: GETs answered once (cached), the cache cleared by any write, the writes recorded."""

    def __init__(self, client):
        self.client = client
        self.done = []  # the writes sent, in order
        self._cache = {}

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None, **options):
        if http_method != 'GET':
            self._cache.clear()
            try:
                return self.client.request(http_method, endpoint, params, file=file, before_resend=before_resend,
                                           **options)
            finally:
                self._cache.clear()  # what before_resend read is the state before this write
        key = (endpoint, tuple(sorted((params or {}).items())))
        if key not in self._cache:
            self._cache[key] = self.client.request('GET', endpoint, params)
        return self._cache[key]

    def forget(self):
        self._cache.clear()


def send(client, write):
    """Send one write; a Session records it in ``done``. Returns the API's response.

    A POST that draws a 429 is sent again (by the client, after the wait) only when ``write.still_needed``
    finds, from a fresh read, that the state it would change is still as planned.
    """
    before_resend = (lambda: write.still_needed(client)) if write.still_needed else None
    options = dict(idempotent=False) if write.price_unknown else {}
    response = client.request(write.http_method, write.endpoint, write.params, file=write.file,
                              before_resend=before_resend, **options)
    if isinstance(client, Session):
        client.done.append(write)
    return response


# Numbers ----------------------------------------------------------------------------------------
def normalise_number(item):
    """One owned number, in the collection's words and types."""
    return dict(
        number=number_digits(item.get('number')),
        status=item.get('status'),
        country=item.get('country'),
        sip=empty_to_none(item.get('sip')),
        sip_name=empty_to_none(item.get('sip_name')),
        caller_name=empty_to_none(item.get('number_name')),
        autoprolongation=to_bool(item.get('autorenew')),
        test_mode=bool(to_bool(item.get('is_on_test'))),
        start_date=item.get('start_date'),
        stop_date=item.get('stop_date'),
        monthly_fee=to_float(item.get('monthly_fee')),
        currency=item.get('currency'),
        channels=to_int(item.get('channels')),
        minutes=to_int(item.get('minutes')),
        type=item.get('type'),
    )


def normalise_destination(item):
    restrictions = item.get('restrictions') or {}
    return dict(
        id=to_int(item.get('id')),
        name=item.get('name'),
        country_code=item.get('countryCode'),
        area_code=item.get('areaCode'),
        connect_fee=to_float(item.get('connect_fee')),
        monthly_fee=to_float(item.get('monthly_fee')),
        currency=item.get('currency'),
        documents_required=list(restrictions.get('upload') or []),
        data_required=list(restrictions.get('specify') or []),
        receive_sms=to_bool(item.get('receive_sms')),
        is_toll=to_bool(item.get('is_toll')),
        feature=item.get('feature'),
        connect_time=item.get('connect_time'),
    )


def normalise_available(item):
    return dict(id=item.get('id'), direction_id=to_int(item.get('direction_id')), number=number_digits(item.get('number')))


def owned_numbers(client):
    """{digits: record} of every number the account owns (GET /v1/direct_numbers/): one request."""
    items = client.request('GET', 'direct_numbers').get('info') or []
    return dict((record['number'], record) for record in (normalise_number(item) for item in items))


def number_detail(client, number):
    """One owned number as its own read gives it (GET /v1/direct_numbers/number/): the list's keys, except
    ``minutes`` and ``type``, plus ``receive_sms`` (None when the number cannot receive SMS). One request."""
    info = client.request('GET', 'direct_numbers/number', dict(number=number)).get('info') or {}
    return dict(normalise_number(info), receive_sms=to_bool(info.get('receive_sms')))


def sip_ids(client):
    """The ids of the account's SIPs (GET /v1/sip/)."""
    return set(sip.get('id') for sip in client.request('GET', 'sip').get('sips') or [])


def balance(client):
    """dict(amount, currency) of the account (GET /v1/info/balance/); amount None when the API gives none."""
    body = client.request('GET', 'info/balance')
    return dict(amount=to_float(body.get('balance')), currency=body.get('currency'))


def countries(client, language=None):
    """The countries numbers can be ordered in (GET /v1/direct_numbers/countries/)."""
    body = client.request('GET', 'direct_numbers/countries', dict(language=language) if language else None)
    return [dict(code=c.get('countryCodeIso'), dialing_code=c.get('countryCode'), name=c.get('name'))
            for c in body.get('info') or []]


def destinations(client, country, language=None):
    """A country's destinations with their fees and requirements (GET /v1/direct_numbers/country/)."""
    params = dict(country=country)
    if language:
        params['language'] = language
    return [normalise_destination(item) for item in client.request('GET', 'direct_numbers/country', params).get('info') or []]


def available_numbers(client, direction_id, mask=None):
    """The numbers of a destination free to order (GET /v1/direct_numbers/available/<direction_id>/)."""
    body = client.request('GET', 'direct_numbers/available/%d' % direction_id, dict(mask=mask) if mask else None)
    return [normalise_available(item) for item in body.get('numbers') or []]


def _per_number(record):
    params = dict(number=record['number'])
    if record.get('type'):
        params['type'] = record['type']  # the vendor's guide sends it; the spec does not list it
    return params


def route_write(record, sip_id, test_mode, summary):
    """PUT /v1/direct_numbers/set_sip_id/: the routing target, and test mode when it is given (on/off)."""
    params = dict(_per_number(record), sip_id=sip_id)
    if test_mode is not None:
        params['test_mode'] = test_mode
    return Write('PUT', 'direct_numbers/set_sip_id', params, summary)


def caller_name_write(record, caller_name, summary):
    """PUT /v1/direct_numbers/set_caller_name/."""
    return Write('PUT', 'direct_numbers/set_caller_name', dict(_per_number(record), caller_name=caller_name), summary)


def autoprolongation_write(record, value, summary):
    """PUT /v1/direct_numbers/autoprolongation/ (value on/off)."""
    return Write('PUT', 'direct_numbers/autoprolongation', dict(_per_number(record), value=value), summary)


def receive_sms_write(record, value, group_id, summary):
    """PUT /v1/direct_numbers/receive_sms/ (value on/off), with the documents group when one is given."""
    params = dict(number=record['number'], value=value)
    if group_id:
        params['documents_group_id'] = group_id
    return Write('PUT', 'direct_numbers/receive_sms', params, summary)


def channels_write(record, channels, summary):
    """PUT /v1/direct_numbers/incoming_channels/: may cost money, price unknown. Still needed while the number's
    channels have not changed."""
    number, before = record['number'], record['channels']

    def still_needed(client):
        return (owned_numbers(client).get(number) or {}).get('channels') == before

    return Write('PUT', 'direct_numbers/incoming_channels', dict(number=number, channels=channels), summary,
                 currency=record['currency'], still_needed=still_needed, price_unknown=True)


def prolong_write(record, months, summary, cost):
    """POST /v1/direct_numbers/prolong/: paid. Still needed while the number's stop_date has not moved."""
    number, stop_date = record['number'], record['stop_date']

    def still_needed(client):
        return (owned_numbers(client).get(number) or {}).get('stop_date') == stop_date

    return Write('POST', 'direct_numbers/prolong', dict(number=number, months=months), summary, cost=cost,
                 currency=record['currency'], still_needed=still_needed)


def order_write(number, params, summary, cost, currency):
    """POST /v1/direct_numbers/order/: paid. Still needed while the account does not own the number."""
    return Write('POST', 'direct_numbers/order', params, summary, cost=cost, currency=currency,
                 still_needed=lambda client: number not in owned_numbers(client))


# Documents --------------------------------------------------------------------------------------
def group_validity(client, group_id, direction_id, user_id=None):
    """Whether a documents group satisfies a destination (GET /v1/documents/groups/valid/<group_id>/)."""
    return normalise_validity(client.request('GET', 'documents/groups/valid/%d' % group_id,
                                             dict(direction_id=direction_id, user_id=user_id)))


def verification_errors(client, group_id):
    """The verification errors of a group (GET /v1/direct_numbers/checking-wrongs/)."""
    return normalise_errors(client.request('GET', 'direct_numbers/checking-wrongs', dict(group_id=group_id)).get('info'))


def document_group(client, group_id, user_id=None):
    """One group (GET /v1/documents/groups/get/<group_id>/)."""
    group = normalise_group(client.request('GET', 'documents/groups/get/%d' % group_id, dict(user_id=user_id)).get('group'))
    if group['id'] is None:
        group['id'] = group_id
    return group


def document_groups(client, user_id=None):
    """Every group (GET /v1/documents/groups/list/)."""
    return [normalise_group(raw) for raw in client.request('GET', 'documents/groups/list', dict(user_id=user_id)).get('groups') or []]


def group_files(client, group_id, user_id=None):
    """The files of a group (GET /v1/documents/files/)."""
    documents = client.request('GET', 'documents/files', dict(group_id=group_id, user_id=user_id)).get('documents')
    return [normalise_file(raw) for raw in documents or [] if isinstance(raw, dict)]


def create_group_write(params, summary, desired, user_id=None):
    """POST /v1/documents/groups/create/. Still needed while no group has the desired names and e-mail."""
    return Write('POST', 'documents/groups/create', params, summary,
                 still_needed=lambda client: not find_group(document_groups(client, user_id), desired))


def update_group_write(group_id, params, summary):
    """PUT /v1/documents/groups/update/<group_id>/."""
    return Write('PUT', 'documents/groups/update/%d' % group_id, params, summary)


def upload_write(group_id, document_type, user_id, file, summary, files_before):
    """POST /v1/documents/upload/ (multipart): file is (name, bytes, content type).

    Still needed while the group holds as many files of this name and type as before (``files_before``).
    """
    def still_needed(client):
        return len(matching_files(group_files(client, group_id, user_id), file[0], document_type)) == files_before

    return Write('POST', 'documents/upload', dict(group_id=group_id, document_type=document_type, user_id=user_id),
                 summary, file=file, still_needed=still_needed)


def written_group(response):
    """The group a create or update answered with (normalised), or None when the response has none."""
    return normalise_group(response['group']) if response and response.get('group') else None
