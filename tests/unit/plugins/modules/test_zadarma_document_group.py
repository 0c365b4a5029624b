# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of zadarma_document_group: the compare logic, the local validation, and the exact requests sent.

HTTP is mocked with ``responses``; every module run scripts the requests it may send, so a test also proves
which writes happen (none on a second run, none in check mode, none after a local validation error).
"""

from __future__ import annotations

import functools
import json

import pytest

from ansible.module_utils import basic

from ansible_collections.zadarma.telephony.plugins.module_utils import _documents as docs
from ansible_collections.zadarma.telephony.plugins.modules import zadarma_document_group as module
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules import module_harness as harness
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness import API, sent, success, writes

LIST = API + '/v1/documents/groups/list/'
CREATE = API + '/v1/documents/groups/create/'
WRONGS = API + '/v1/direct_numbers/checking-wrongs/'

ok = functools.partial(harness.ok, module)
failed = functools.partial(harness.failed, module)


def raw_group(**changes):
    """A group as the simulator's API returns it."""
    group = dict(
        id=0, email='john.smith@example.com', salutation='MR', nationality=None, first_name='John', middle_name=None,
        last_name='Smith', organization=None, organization_description=None, organization_reg_number=None,
        country='DE', region='', city='Berlin', address='Brudden Strasse 8, 10115', zip_code='10115',
        street='Brudden Strasse', street_code=None, municipality_code=None, building_number='8',
        building_letter=None, phone='4930000000', type_of_id='', id_number='', issuing_authority=None,
        issuing_date=None, is_readonly=False,
    )
    group.update(changes)
    return group


PERSON = dict(
    email='anna.schmidt@example.com', salutation='MS', first_name='Anna', last_name='Schmidt', country='de',
    city='Berlin', address='Unter den Linden 5, 10117 Berlin', zip_code='10117', street='Unter den Linden',
    building_number='5', phone='+49 30 1234567',
)


def anna(**changes):
    values = dict(id=7, email='anna.schmidt@example.com', salutation='MS', first_name='Anna', last_name='Schmidt',
                  city='Berlin', address='Unter den Linden 5, 10117 Berlin', zip_code='10117',
                  street='Unter den Linden', building_number='5', phone='49301234567')
    values.update(changes)
    return raw_group(**values)


def success(**body):
    return dict(status='success', **body)


# Pure functions ---------------------------------------------------------------------------------

def test_normalise_group():
    group = docs.normalise_group(raw_group(id='3', is_readonly='true', phone='+4930000000', region='',
                                           issuing_date='2020-01-02 00:00:00', zip_code=10115))
    assert group['id'] == 3
    assert group['is_readonly'] is True
    assert group['phone'] == '4930000000'
    assert group['region'] is None and group['type_of_id'] is None and group['middle_name'] is None
    assert group['issuing_date'] == '2020-01-02'
    assert group['zip_code'] == '10115'
    assert set(group) == set(docs.GROUP_FIELDS) | {'id', 'is_readonly'}


def test_desired_group_normalises_and_keeps_clears():
    desired = docs.desired_group(dict(PERSON, middle_name='', date_of_birth='1985-04-12', nationality='at',
                                      issuing_date='2019-06-01', region=None))
    assert desired['country'] == 'DE' and desired['nationality'] == 'AT'
    assert desired['phone'] == '49301234567'
    assert desired['middle_name'] == ''
    assert desired['date_of_birth'] == '1985-04-12'
    assert 'region' not in desired


@pytest.mark.parametrize('option, value, message', [
    ('email', 'not-an-address', 'email: not an e-mail address (name@example.com) (the value is not shown)'),
    ('country', 'XX', 'country: not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US) (the value is not shown)'),
    ('country', 'DEU', 'country: not an ISO 3166-1 alpha-2 country code'),
    ('nationality', 'Germany', 'nationality: not an ISO 3166-1 alpha-2 country code'),
    ('date_of_birth', '1985-02-30', 'date_of_birth: not a date in the form YYYY-MM-DD (the value is not shown)'),
    ('date_of_birth', '12.04.1985', 'date_of_birth: not a date in the form YYYY-MM-DD (the value is not shown)'),
    ('issuing_date', '2019-13-01', 'issuing_date: not a date in the form YYYY-MM-DD (the value is not shown)'),
    ('phone', 'call me', 'phone: not a phone number in international format (7 to 15 digits'),
    ('phone', '+49 30', 'phone: not a phone number in international format'),
    ('city', '', 'city: must not be empty (the API requires it)'),
    ('email', ' ', 'email: must not be empty (the API requires it)'),
])
def test_desired_group_refuses(option, value, message):
    with pytest.raises(ValueError) as caught:
        docs.desired_group(dict(PERSON, **{option: value}))
    assert message in str(caught.value)
    if value.strip():
        assert value not in str(caught.value)  # personal data is never repeated


@pytest.mark.parametrize('option', ['group_id', 'direction_id'])
def test_check_group_ids_refuses_negative(option):
    with pytest.raises(ValueError, match='%s: must not be negative' % option):
        docs.check_group_ids({option: -1})


def test_missing_for_create():
    assert docs.missing_for_create(docs.desired_group(PERSON)) == []
    assert docs.missing_for_create(dict(email='a@b.de', city='Berlin')) == [
        'salutation', 'first_name', 'last_name', 'country', 'address', 'zip_code', 'street', 'building_number',
        'phone']


def test_find_group_matches_identity_fields_lowest_id_first():
    groups = [docs.normalise_group(raw) for raw in (
        raw_group(), anna(id=9), anna(id=7), anna(id=8, organization='ACME'), anna(id=10, email='other@example.com'))]
    found = docs.find_group(groups, docs.desired_group(PERSON))
    assert [group['id'] for group in found] == [7, 9]
    assert docs.find_group(groups, docs.desired_group(dict(PERSON, organization='ACME')))[0]['id'] == 8
    assert docs.find_group(groups, docs.desired_group(dict(PERSON, first_name='Anne'))) == []


def test_group_changes_compares_only_set_fields():
    current = docs.normalise_group(anna(middle_name='Maria'))
    assert docs.group_changes(current, docs.desired_group(PERSON)) == []
    assert docs.group_changes(current, dict(city='Hamburg', region='')) == ['city']
    assert docs.group_changes(current, dict(middle_name='')) == ['middle_name']
    assert docs.group_changes(current, dict(date_of_birth='1985-04-12')) == []  # write-only: never compared
    assert docs.group_changes(docs.normalise_group(anna(id_number='X1')), dict(id_number='X2')) == ['id_number']


def test_update_params_send_the_full_record():
    current = docs.normalise_group(anna(middle_name='Maria', id_number='X1'))
    params = docs.update_params(current, dict(city='Hamburg', middle_name='', date_of_birth='1985-04-12'),
                                user_id=5, direction_id=3766)
    assert params['city'] == 'Hamburg' and params['middle_name'] == ''
    assert params['street'] == 'Unter den Linden' and params['id_number'] == 'X1'
    assert params['date_of_birth'] == '1985-04-12'
    assert params['user_id'] == 5 and params['direction_id'] == 3766
    assert 'organization' not in params and 'id' not in params and 'is_readonly' not in params
    assert set(params) - {'user_id', 'direction_id', 'date_of_birth'} <= set(docs.REQUIRED_FIELDS) | {
        'middle_name', 'id_number'}


def test_create_params_leave_out_empty_values():
    params = docs.create_params(dict(docs.desired_group(PERSON), middle_name='', date_of_birth='1985-04-12'))
    assert 'middle_name' not in params
    assert params['date_of_birth'] == '1985-04-12'
    assert params['user_id'] is None and params['direction_id'] is None


def test_public_group_masks_the_id_number_and_diff_leaves_out_personal_data():
    group = docs.normalise_group(anna(id_number='C01X00T47'))
    assert docs.public_group(group)['id_number'] == '********'
    assert group['id_number'] == 'C01X00T47'  # not modified in place
    assert docs.public_group(docs.normalise_group(anna()))['id_number'] is None
    assert docs.public_group(None) is None
    assert docs.diff_views(group, group, ['city', 'id_number', 'date_of_birth'], True) == (dict(city='Berlin'),) * 2
    assert docs.diff_views(None, group, ['city'], True) == ({}, dict(city='Berlin'))


def test_public_group_and_diff_mask_personal_values_unless_shown():
    before = docs.normalise_group(anna(id_number='C01X00T47'))
    after = dict(before, city='Hamburg', region=None)
    shown = docs.public_group(before)
    assert shown['first_name'] == shown['email'] == shown['phone'] == shown['city'] == '********'
    assert shown['middle_name'] is None and shown['salutation'] == 'MS' and shown['id'] == 7
    assert docs.public_group(before, True)['first_name'] == 'Anna'
    assert docs.public_group(before, True)['id_number'] == '********'
    fields = ['city', 'first_name', 'region', 'salutation', 'id_number']
    assert docs.diff_views(before, after, fields) == (
        dict(city='********', first_name='********', region=None, salutation='MS'),
        dict(city='******** (changed)', first_name='********', region=None, salutation='MS'))
    assert docs.diff_views(before, after, fields, True) == (
        dict(city='Berlin', first_name='Anna', region=None, salutation='MS'),
        dict(city='Hamburg', first_name='Anna', region=None, salutation='MS'))


def test_masked_arguments():
    params = dict(PERSON, id_number='C01X00T47', middle_name=None, group_id=3, show_personal_data=False)
    masked = docs.masked_arguments(params)
    assert masked['first_name'] == masked['phone'] == masked['id_number'] == '********'
    assert masked['salutation'] == 'MS' and masked['group_id'] == 3 and masked['middle_name'] is None
    assert docs.masked_arguments(dict(params, show_personal_data=True))['first_name'] == 'Anna'


def test_normalise_validity():
    raw = dict(is_information_match='true', is_documents_uploaded='true', is_documents_verified='false',
               is_address_match='true')
    assert docs.normalise_validity(raw) == dict(information=True, documents_uploaded=True, documents_verified=False,
                                                address=True, valid=False)
    assert docs.normalise_validity(dict((key, 'true') for key in raw))['valid'] is True
    assert docs.normalise_validity({})['valid'] is False


def test_normalise_errors():
    assert docs.normalise_errors({}) == []
    assert docs.normalise_errors(None) == []
    info = dict(wrong_document=dict(document_type='passport', message='The passport has expired.'),
                wrong_address=dict(message='Invalid address'))
    assert docs.normalise_errors(info) == [
        dict(kind='document', document_type='passport', message='The passport has expired.'),
        dict(kind='address', document_type=None, message='Invalid address'),
    ]
    assert docs.normalise_errors(dict(wrong_document=[dict(document_type='contract', message='x')],
                                      wrong_address={})) == [dict(kind='document', document_type='contract',
                                                                  message='x')]


# The module: requests sent ---------------------------------------------------------------------

def test_creates_when_no_group_matches(api):
    api.get(LIST, json=success(groups=[raw_group()]))
    api.post(CREATE, json=success(group=anna(type_of_id='PASSPORT', id_number='C01X00T47')))
    result = ok(dict(PERSON, date_of_birth='1985-04-12', type_of_id='PASSPORT', id_number='C01X00T47',
                     middle_name='', user_id=1001), diff=True)
    assert result['changed'] is True and result['created'] is True
    assert result['group']['id'] == 7 and result['group']['id_number'] == '********'
    (method, path, params), = writes(api)
    assert (method, path) == ('POST', '/v1/documents/groups/create/')
    assert params['date_of_birth'] == '1985-04-12' and params['id_number'] == 'C01X00T47'
    assert params['country'] == 'DE' and params['phone'] == '49301234567' and params['user_id'] == '1001'
    assert 'middle_name' not in params
    assert sent(api.calls[0])[2] == dict(user_id='1001')
    assert result['diff']['before'] == {}
    assert result['diff']['after']['first_name'] == '********'
    assert 'id_number' not in result['diff']['after'] and 'date_of_birth' not in result['diff']['after']
    assert 'validity' not in result
    assert_no_personal_value(result, PERSON, date_of_birth='1985-04-12', id_number='C01X00T47')


def assert_no_personal_value(result, *args, **kwargs):
    """None of the personal values given appears anywhere in the result (3 characters or more)."""
    text = json.dumps(result)
    values = dict(*args, **kwargs)
    for field in docs.PERSONAL_FIELDS:
        value = str(values.get(field) or '')
        if len(value) >= 3:
            assert value not in text, field
    assert '4930' not in text  # the phone's digits


def test_personal_values_appear_only_when_asked(api):
    api.get(LIST, json=success(groups=[anna(id_number='C01X00T47')]))
    result = ok(dict(PERSON, region='Mitte', show_personal_data=True), check_mode=True, diff=True)
    assert result['group']['first_name'] == 'Anna' and result['group']['id_number'] == '********'
    assert result['diff']['before']['region'] is None and result['diff']['after']['region'] == 'Mitte'
    assert result['invocation']['module_args']['first_name'] == 'Anna'
    assert 'C01X00T47' not in json.dumps(result)


def test_a_failed_create_reports_no_personal_value(api):
    api.get(LIST, json=success(groups=[]))
    api.post(CREATE, status=500, body='boom')
    result = failed(dict(PERSON, id_number='C01X00T47'), diff=True)
    assert result['ambiguous'] is True
    assert result['invocation']['module_args']['last_name'] == '********'
    assert_no_personal_value(result, PERSON, id_number='C01X00T47')


def test_adopts_a_matching_group_without_writing(api):
    api.get(LIST, json=success(groups=[raw_group(), anna()]))
    result = ok(dict(PERSON, date_of_birth='1985-04-12'), diff=True)
    assert result['changed'] is False and result['created'] is False
    assert result['group']['id'] == 7
    assert writes(api) == []
    assert result['diff']['before'] == result['diff']['after']


def test_updates_an_adopted_group_with_the_full_record(api):
    api.get(LIST, json=success(groups=[anna()]))
    api.put(API + '/v1/documents/groups/update/7/', json=success(group=anna(region='Berlin')))
    result = ok(dict(PERSON, region='Berlin', date_of_birth='1985-04-12'), diff=True)
    assert result['changed'] is True and result['created'] is False
    (method, path, params), = writes(api)
    assert (method, path) == ('PUT', '/v1/documents/groups/update/7/')
    assert params['region'] == 'Berlin' and params['date_of_birth'] == '1985-04-12'
    assert all(params[field] for field in docs.REQUIRED_FIELDS)
    assert result['diff']['before']['region'] is None and result['diff']['after']['region'] == '******** (changed)'
    assert result['diff']['before']['city'] == result['diff']['after']['city'] == '********'
    assert_no_personal_value(result, PERSON)


def test_date_of_birth_alone_never_changes_anything(api):
    api.get(API + '/v1/documents/groups/get/7/', json=success(group=anna()))
    result = ok(dict(group_id=7, date_of_birth='1990-01-01'))
    assert result['changed'] is False
    assert writes(api) == []


def test_group_id_updates_only_what_is_set(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group()))
    api.put(API + '/v1/documents/groups/update/0/', json=success(group=raw_group(city='Hamburg')))
    result = ok(dict(group_id=0, city='Hamburg', show_personal_data=True), diff=True)
    assert result['changed'] is True and result['group']['city'] == 'Hamburg'
    (_method, _path, params), = writes(api)
    assert params['city'] == 'Hamburg' and params['first_name'] == 'John' and params['phone'] == '4930000000'
    assert 'date_of_birth' not in params
    assert result['diff'] == dict(before=dict(city='Berlin'), after=dict(city='Hamburg'))


def test_group_id_without_options_only_reads(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group()))
    result = ok(dict(group_id=0))
    assert result['changed'] is False and result['group']['first_name'] == '********'
    assert 'John' not in json.dumps(result) and 'Smith' not in json.dumps(result)


def test_check_mode_sends_no_write(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group()))
    result = ok(dict(group_id=0, city='Hamburg', show_personal_data=True), check_mode=True, diff=True)
    assert result['changed'] is True and result['group']['city'] == 'Hamburg'
    assert result['diff'] == dict(before=dict(city='Berlin'), after=dict(city='Hamburg'))
    assert writes(api) == []


def test_check_mode_create_says_validity_is_unknown(api):
    api.get(LIST, json=success(groups=[]))
    result = ok(dict(PERSON, direction_id=3766), check_mode=True)
    assert result['changed'] is True and result['created'] is True
    assert result['group']['id'] is None and result['group']['first_name'] == '********'
    assert result['validity']['valid'] is None and 'not known' in result['validity']['note']
    assert result['errors'] is None
    assert len(api.calls) == 1


def test_direction_id_returns_validity_and_errors(api):
    api.get(API + '/v1/documents/groups/get/7/', json=success(group=anna()))
    api.get(API + '/v1/documents/groups/valid/7/', json=success(
        is_information_match='true', is_documents_uploaded='false', is_documents_verified='false',
        is_address_match='true'))
    api.get(WRONGS, json=success(info=dict(wrong_document=dict(document_type='passport', message='Expired'))))
    result = ok(dict(group_id=7, direction_id=3766, user_id=1001))
    assert result['validity'] == dict(information=True, documents_uploaded=False, documents_verified=False,
                                      address=True, valid=False)
    assert result['errors'] == [dict(kind='document', document_type='passport', message='Expired')]
    assert sent(api.calls[1])[2] == dict(direction_id='3766', user_id='1001')
    assert sent(api.calls[2])[2] == dict(group_id='7')  # the spec lists no user_id for checking-wrongs


def test_direction_id_is_passed_on_with_a_write(api):
    api.get(API + '/v1/documents/groups/get/7/', json=success(group=anna()))
    api.put(API + '/v1/documents/groups/update/7/', json=success(group=anna(city='Potsdam')))
    api.get(API + '/v1/documents/groups/valid/7/', json=success(
        is_information_match='true', is_documents_uploaded='true', is_documents_verified='true',
        is_address_match='true'))
    api.get(WRONGS, json=success(info={}))
    result = ok(dict(group_id=7, city='Potsdam', direction_id=3766))
    assert writes(api)[0][2]['direction_id'] == '3766'
    assert result['validity']['valid'] is True and result['errors'] == []


def test_several_matches_warn_and_manage_the_lowest_id(api, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning: warnings.append(warning))
    api.get(LIST, json=success(groups=[anna(id=12), anna(id=7)]))
    result = ok(PERSON)
    assert result['group']['id'] == 7
    assert warnings == ['2 document groups have this salutation, name, organization and e-mail (ids 7, 12); '
                        'managing the lowest, 7. Set group_id to choose another.']


# The module: failures --------------------------------------------------------------------------

def test_read_only_group_is_refused_before_any_write(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group(is_readonly=True)))
    result = failed(dict(group_id=0, city='Hamburg', id_number='X'))
    assert result['msg'] == ('document group 0 is read-only (the API reports is_readonly), so it cannot be changed; '
                             'options that differ: city, id_number')
    assert writes(api) == []


def test_read_only_group_without_changes_is_fine(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group(is_readonly=True)))
    assert ok(dict(group_id=0, city='Berlin'))['changed'] is False


def test_api_error_is_reported(api):
    api.get(API + '/v1/documents/groups/get/99/', status=404,
            json=dict(status='error', message='Document group not found'))
    result = failed(dict(group_id=99, city='Hamburg'))
    assert 'Document group not found' in result['msg']
    assert result['api_message'] == 'Document group not found'


def test_failed_write_reports_nothing_done(api):
    api.get(API + '/v1/documents/groups/get/0/', json=success(group=raw_group()))
    api.put(API + '/v1/documents/groups/update/0/', status=400, json=dict(status='error', message='Wrong parameter'))
    result = failed(dict(group_id=0, city='Hamburg'))
    assert 'Wrong parameter' in result['msg'] and 'writes_done' not in result


@pytest.mark.parametrize('args, message', [
    (dict(PERSON, email='nope'), 'email: not an e-mail address (name@example.com) (the value is not shown)'),
    (dict(PERSON, country='ZZ'), 'country: not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US)'),
    (dict(PERSON, nationality='German'), 'nationality: not an ISO 3166-1 alpha-2 country code'),
    (dict(PERSON, date_of_birth='1985-02-29'), 'date_of_birth: not a date in the form YYYY-MM-DD (the value is not'),
    (dict(PERSON, issuing_date='yesterday'), 'issuing_date: not a date in the form YYYY-MM-DD (the value is not'),
    (dict(PERSON, phone='12'), 'phone: not a phone number in international format'),
    (dict(PERSON, street=''), 'street: must not be empty (the API requires it)'),
    (dict(PERSON, salutation='DR'), 'value of salutation must be one of: MR, MS, COMPANY, got: DR'),
    (dict(PERSON, type_of_id='VISA'), 'value of type_of_id must be one of: PASSPORT, DNI, NIE'),
    (dict(PERSON, group_id=-1), 'group_id: must not be negative, got -1'),
    (dict(PERSON, direction_id=-5), 'direction_id: must not be negative, got -5'),
    (dict(email='a@example.com', first_name='Anna'),
     'without group_id the group may have to be created, so these options are required: salutation, last_name, '
     'country, city, address, zip_code, street, building_number, phone'),
    (dict(group_id=3, email='bad'), 'email: not an e-mail address'),
])
def test_bad_input_fails_before_any_request(api, args, message):
    result = failed(args)
    assert message in result['msg']
    assert len(api.calls) == 0


def test_personal_data_options_are_no_log():
    spec = docs.group_argument_spec()
    assert spec['id_number']['no_log'] is True and spec['date_of_birth']['no_log'] is True
    assert spec['type_of_id']['choices'] == list(docs.TYPES_OF_ID)
