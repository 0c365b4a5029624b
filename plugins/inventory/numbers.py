# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
name: numbers
short_description: The Zadarma account's owned phone numbers as an inventory
version_added: 0.2.0
description:
  - One host per owned number, named by its digits (for example C(442037691880)), with the number's settings as
    host variables and groups by status, routing, expiry and auto-renewal.
  - Reads the owned numbers with one API request per refresh; with O(cache=true), none within O(cache_timeout).
  - Every host gets C(ansible_connection=local), so that no play ever tries to connect to a phone number; override it
    with O(compose) if needed.
  - Strings that come from the API are marked unsafe, so no template in them is ever evaluated.
  - Uses a YAML configuration file whose name ends in C(zadarma.yml) or C(zadarma.yaml).
author: zadarma.telephony contributors (@zadarma)
requirements:
  - requests
extends_documentation_fragment:
  - constructed
  - inventory_cache
options:
  plugin:
    description: Marks this as an instance of this plugin.
    required: true
    type: str
    choices: [zadarma.telephony.numbers]
  api_key:
    description:
      - The Zadarma API key. Required, here or in the environment.
    type: str
    env:
      - name: ZADARMA_API_KEY
  api_secret:
    description:
      - The Zadarma API secret that signs every request. Required, here or in the environment.
      - It is never sent, shown or written to the cache. Prefer the environment (an AWX credential sets it).
    type: str
    env:
      - name: ZADARMA_API_SECRET
  api_url:
    description:
      - Base URL of the API. Plain C(http://) is refused unless the host is a loopback address (such as the bundled
        simulator).
    type: str
    default: https://api.zadarma.com
    env:
      - name: ZADARMA_API_URL
  timeout:
    description: Seconds to wait for each HTTP response.
    type: int
    default: 30
  validate_certs:
    description: Whether to verify the API's TLS certificate. Only set to V(false) against a test server.
    type: bool
    default: true
  expiring_days:
    description:
      - A number whose paid period ends within this many days (C(zadarma_days_left <= expiring_days)) is in the
        group C(zadarma_expiring).
    type: int
    default: 14
notes:
  - 'Host variables: C(zadarma_number), C(zadarma_status), C(zadarma_sip) (null when not routed),
    C(zadarma_caller_name) (null when unset), C(zadarma_autoprolongation), C(zadarma_test_mode),
    C(zadarma_stop_date) (as the API gives it), C(zadarma_days_left) (whole days until C(zadarma_stop_date),
    negative once passed), C(zadarma_monthly_fee), C(zadarma_currency), C(zadarma_country), C(zadarma_channels).'
  - 'Groups: C(zadarma) (every number), C(zadarma_status_<status>) (for example C(zadarma_status_on),
    C(zadarma_status_checking)), C(zadarma_routed) and C(zadarma_unrouted), C(zadarma_expiring),
    C(zadarma_autoprolongation_off), plus those of O(groups) and O(keyed_groups).'
  - C(zadarma_days_left) and C(zadarma_expiring) are computed at every run, also from a cached reading.
seealso:
  - module: zadarma.telephony.zadarma_number_info
'''

EXAMPLES = r'''
# numbers.zadarma.yml -- credentials from ZADARMA_API_KEY and ZADARMA_API_SECRET, nothing else:
#   plugin: zadarma.telephony.numbers

# numbers.zadarma.yml -- a 30-day warning window, cached for an hour, grouped by country
plugin: zadarma.telephony.numbers
expiring_days: 30
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/zadarma-inventory
cache_timeout: 3600
keyed_groups:
  - key: zadarma_country
    prefix: country
groups:
  in_test_mode: zadarma_test_mode
'''

import datetime

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.zadarma.telephony.plugins.module_utils._client import (
    HAS_REQUESTS,
    ZadarmaClient,
    ZadarmaError,
    check_api_url,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._api import owned_numbers
from ansible_collections.zadarma.telephony.plugins.module_utils._values import days_until

# The host variables taken from a normalised owned number (the rest are computed).
RECORD_VARS = ('number', 'status', 'sip', 'caller_name', 'autoprolongation', 'test_mode', 'stop_date', 'monthly_fee',
               'currency', 'country', 'channels')


def host_vars(record, today):
    """The host variables of one owned number, in the documented types."""
    variables = dict(('zadarma_' + key, record.get(key)) for key in RECORD_VARS)
    variables['zadarma_autoprolongation'] = bool(record.get('autoprolongation'))
    variables['zadarma_test_mode'] = bool(record.get('test_mode'))
    variables['zadarma_days_left'] = days_until(record.get('stop_date'), today)
    return variables


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = 'zadarma.telephony.numbers'

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(('zadarma.yml', 'zadarma.yaml'))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        records = self._records(path, cache)
        today = datetime.datetime.now(datetime.timezone.utc).date()
        for record in sorted(records, key=lambda item: item['number']):
            self._add_number(record, today)

    # Reading ---------------------------------------------------------------------------------------
    def _records(self, path, cache):
        """The normalised owned numbers: from the cache when allowed and fresh, else one API request."""
        key = self.get_cache_key(path)
        use_cache = self.get_option('cache') and cache
        if use_cache:
            try:
                return self._cache[key]
            except KeyError:
                pass  # expired or never written
        records = self._read_owned()
        if self.get_option('cache'):
            self._cache[key] = records  # normalised API data only: no credentials
        return records

    def _read_owned(self):
        client = self._client()
        try:
            return list(owned_numbers(client).values())
        except ZadarmaError as error:
            raise AnsibleError('zadarma.telephony.numbers: %s' % error)

    def _client(self):
        if not HAS_REQUESTS:
            raise AnsibleError('zadarma.telephony.numbers: the Python library requests is required on the controller')
        credentials = {}
        for option, variable in (('api_key', 'ZADARMA_API_KEY'), ('api_secret', 'ZADARMA_API_SECRET')):
            value = self._templated(option)
            if not value:
                raise AnsibleParserError('zadarma.telephony.numbers: %s is not set; give it in the inventory source or '
                                         'in the environment variable %s' % (option, variable))
            credentials[option] = value
        try:
            api_url = check_api_url(self._templated('api_url'), validate_certs=self.get_option('validate_certs'))
        except ValueError as exc:
            raise AnsibleParserError('zadarma.telephony.numbers: %s' % exc)
        return ZadarmaClient(credentials['api_key'], credentials['api_secret'], api_url,
                             timeout=self.get_option('timeout'), validate_certs=self.get_option('validate_certs'))

    def _templated(self, option):
        """An option's value, templated when it holds a template (e.g. a vaulted variable), as a plain string."""
        value = self.get_option(option)
        if isinstance(value, str) and self.templar.is_template(value):
            value = self.templar.template(value)
        return None if value is None else str(value)

    # Building ----------------------------------------------------------------------------------------
    def _add_number(self, record, today):
        variables = host_vars(record, today)
        host = self.inventory.add_host(wrap_var(record['number']))
        for name, value in variables.items():
            self.inventory.set_variable(host, name, wrap_var(value))
        self.inventory.set_variable(host, 'ansible_connection', 'local')

        groups = ['zadarma', 'zadarma_routed' if record.get('sip') else 'zadarma_unrouted']
        if record.get('status'):
            groups.append(self._sanitize_group_name('zadarma_status_%s' % record['status']))
        if variables['zadarma_days_left'] is not None and variables['zadarma_days_left'] <= self.get_option('expiring_days'):
            groups.append('zadarma_expiring')
        if not variables['zadarma_autoprolongation']:
            groups.append('zadarma_autoprolongation_off')
        for group in groups:
            self.inventory.add_child(self.inventory.add_group(group), host)

        # The user's compose, groups and keyed_groups see the host's variables.
        strict = self.get_option('strict')
        self._set_composite_vars(self.get_option('compose'), self.inventory.get_host(host).get_vars(), host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), {}, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), {}, host, strict=strict)
