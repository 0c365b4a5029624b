# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every implemented method's 200 body against the response schema of the vendor's OpenAPI spec.

Stricter than the spec: no key the spec does not list, and (where noted) every key it lists.
The spec is found through $ZADARMA_OPENAPI or at <repo>/../shared/zadarma-openapi/openapi.json.
"""

import json
import os

import pytest

jsonschema = pytest.importorskip('jsonschema')

from zadarma_sim import server  # noqa: E402  pylint: disable=wrong-import-position

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SPEC_PATH = os.environ.get('ZADARMA_OPENAPI') or os.path.join(REPO, '..', 'shared', 'zadarma-openapi', 'openapi.json')
OWNED = '442037691880'
GROUP = {
    'email': 'jane@example.com', 'salutation': 'MS', 'first_name': 'Jane', 'last_name': 'Doe', 'country': 'DE',
    'city': 'Berlin', 'address': 'Hauptstrasse 1, 10115', 'zip_code': '10115', 'street': 'Hauptstrasse',
    'building_number': '1', 'phone': '4930123456', 'date_of_birth': '1980-01-01',
}
UPLOAD = {'file': ('passport.pdf', b'%PDF-1.4\n', 'application/pdf')}
WRONGS = {'0': {'wrong_document': {'document_type': 'passport', 'message': 'Expired'},
                'wrong_address': {'message': 'Invalid address'}}}

# (http method, route path, request path, params, files): one successful call per implemented method.
SAMPLES = [
    ('GET', '/v1/info/balance/', '/v1/info/balance/', {}, None),
    ('GET', '/v1/sip/', '/v1/sip/', {}, None),
    ('GET', '/v1/sip/{sip}/status/', '/v1/sip/00001/status/', {}, None),
    ('PUT', '/v1/sip/callerid/', '/v1/sip/callerid/', {'id': '00001', 'number': OWNED}, None),
    ('GET', '/v1/sip/redirection/', '/v1/sip/redirection/', {}, None),
    ('PUT', '/v1/sip/redirection/', '/v1/sip/redirection/', {'id': '00001', 'status': 'on'}, None),
    ('POST', '/v1/sip/create/', '/v1/sip/create/', {'name': 'Lab', 'password': 'Str0ngPass!', 'callerid': OWNED}, None),
    ('PUT', '/v1/sip/{sip}/password/', '/v1/sip/00001/password/', {'value': 'NewStr0ngPass!'}, None),
    ('GET', '/v1/direct_numbers/', '/v1/direct_numbers/', {}, None),
    ('GET', '/v1/direct_numbers/number/', '/v1/direct_numbers/number/', {'number': OWNED, 'type': 'common'}, None),
    ('GET', '/v1/direct_numbers/autoprolongation/', '/v1/direct_numbers/autoprolongation/', {'number': OWNED}, None),
    ('PUT', '/v1/direct_numbers/autoprolongation/', '/v1/direct_numbers/autoprolongation/',
     {'number': OWNED, 'value': 'off'}, None),
    ('GET', '/v1/direct_numbers/checking-wrongs/', '/v1/direct_numbers/checking-wrongs/', {'group_id': 0}, None),
    ('GET', '/v1/direct_numbers/countries/', '/v1/direct_numbers/countries/', {'language': 'en'}, None),
    ('GET', '/v1/direct_numbers/country/', '/v1/direct_numbers/country/', {'country': 'DE'}, None),
    ('PUT', '/v1/direct_numbers/set_caller_name/', '/v1/direct_numbers/set_caller_name/',
     {'number': OWNED, 'caller_name': 'Desk 1'}, None),
    ('PUT', '/v1/direct_numbers/set_sip_id/', '/v1/direct_numbers/set_sip_id/',
     {'number': OWNED, 'sip_id': '00002', 'test_mode': 'off'}, None),
    ('GET', '/v1/direct_numbers/available/{direction_id}/', '/v1/direct_numbers/available/13755/', {'mask': '4420'}, None),
    ('POST', '/v1/direct_numbers/order/', '/v1/direct_numbers/order/',
     {'direction_id': 3766, 'documents_group_id': 0, 'period': 'month', 'receive_sms': 0}, None),
    ('POST', '/v1/direct_numbers/prolong/', '/v1/direct_numbers/prolong/', {'number': OWNED, 'months': 1}, None),
    ('GET', '/v1/direct_numbers/incoming_channels/', '/v1/direct_numbers/incoming_channels/', {'number': OWNED}, None),
    ('PUT', '/v1/direct_numbers/incoming_channels/', '/v1/direct_numbers/incoming_channels/',
     {'number': OWNED, 'channels': 4}, None),
    ('PUT', '/v1/direct_numbers/receive_sms/', '/v1/direct_numbers/receive_sms/', {'number': '12125550199', 'value': 'on'}, None),
    ('GET', '/v1/documents/files/', '/v1/documents/files/', {'group_id': 0}, None),
    ('GET', '/v1/documents/groups/list/', '/v1/documents/groups/list/', {}, None),
    ('GET', '/v1/documents/groups/get/{id}/', '/v1/documents/groups/get/0/', {}, None),
    ('GET', '/v1/documents/groups/valid/{id}/', '/v1/documents/groups/valid/0/', {'direction_id': 3766}, None),
    ('POST', '/v1/documents/groups/create/', '/v1/documents/groups/create/', GROUP, None),
    ('PUT', '/v1/documents/groups/update/{groupid}/', '/v1/documents/groups/update/0/', dict(GROUP, middle_name='R'), None),
    ('POST', '/v1/documents/upload/', '/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'}, UPLOAD),
]
# Objects whose optional keys may be absent (the spec lists alternatives there).
PARTIAL = {'/v1/direct_numbers/checking-wrongs/'}
DROPPED = ('example', 'examples', 'nullable', 'description', 'title', 'deprecated', 'readOnly', 'writeOnly', 'xml')


@pytest.fixture(scope='module')
def spec():
    if not os.path.isfile(SPEC_PATH):
        pytest.skip('OpenAPI spec not found at %s (set ZADARMA_OPENAPI to its path)' % SPEC_PATH)
    with open(SPEC_PATH, encoding='utf-8') as handle:
        return json.load(handle)


def resolve(document, ref):
    node = document
    for part in ref.lstrip('#/').split('/'):
        node = node[part.replace('~1', '/').replace('~0', '~')]
    return node


def to_json_schema(node, document, complete):
    """OpenAPI 3.0 schema -> JSON Schema: $ref inlined, nullable allows null, no unknown keys, all keys if complete."""
    if '$ref' in node:
        return to_json_schema(resolve(document, node['$ref']), document, complete)
    out = {}
    for key, value in node.items():
        if key == 'properties':
            out[key] = {name: to_json_schema(sub, document, complete) for name, sub in value.items()}
        elif key in ('items', 'not', 'additionalProperties') and isinstance(value, dict):
            out[key] = to_json_schema(value, document, complete)
        elif key in ('oneOf', 'anyOf', 'allOf'):
            out[key] = [to_json_schema(sub, document, complete) for sub in value]
        elif key not in DROPPED:
            out[key] = value
    if node.get('nullable'):
        if 'type' in out:
            out['type'] = [out['type'], 'null']
        if 'enum' in out:
            out['enum'] = list(out['enum']) + [None]
    if 'properties' in out:
        out.setdefault('additionalProperties', False)
        if complete:
            out['required'] = sorted(out['properties'])
    return out


def response_schema(document, method, route_path, complete):
    operation = document['paths'][route_path.rstrip('/')][method.lower()]
    schema = operation['responses']['200']['content']['application/json']['schema']
    return to_json_schema(schema, document, complete)


def test_samples_cover_every_route():
    assert sorted(sample[:2] for sample in SAMPLES) == sorted(route[:2] for route in server.ROUTES)


def test_every_spec_method_under_the_simulated_paths_is_routed(spec):
    prefixes = ('/v1/direct_numbers', '/v1/documents/', '/v1/sip', '/v1/info/balance')
    in_spec = {(method.upper(), path + '/') for path, operations in spec['paths'].items() if path.startswith(prefixes)
               for method in operations if method in ('get', 'post', 'put', 'delete')}
    assert in_spec == {route[:2] for route in server.ROUTES}


@pytest.mark.parametrize('method, route_path, path, params, files', SAMPLES, ids=['%s %s' % s[:2] for s in SAMPLES])
def test_response_conforms_to_the_spec(api, spec, method, route_path, path, params, files):
    api.ctl('POST', '/_sim/state', {'wrongs': WRONGS})
    body = api.ok(method, path, params, files=files)
    schema = response_schema(spec, method, route_path, complete=route_path not in PARTIAL)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = ['%s: %s' % ('/'.join(str(p) for p in error.absolute_path), error.message) for error in validator.iter_errors(body)]
    assert not errors, errors


def test_list_with_every_number_status_conforms(api, spec):
    statuses = ['on', 'parking', 'checking', 'checking_upload', 'reserved_on', 'reserved_checking', 'reserved_checking_upload']
    api.ctl('POST', '/_sim/state', {'add_numbers': [{'number': '4989100000%d' % i, 'status': s} for i, s in enumerate(statuses)]})
    body = api.ok('GET', '/v1/direct_numbers/')
    jsonschema.Draft4Validator(response_schema(spec, 'GET', '/v1/direct_numbers/', True)).validate(body)
    assert {entry['type'] for entry in body['info'][2:]} == {'common', 'order'}
