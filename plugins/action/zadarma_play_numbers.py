# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fan-in of the roles: every host's request, one pass of API calls on the controller, a result per host.

Runs once (run_once, delegated to localhost). It reads each host of the play batch through `hostvars` (a
linear pass in Python, no templating across hosts), refuses what is wrong with a host before any request,
then calls the collection's modules once for the whole play and files every result under its host's name,
the `key` that zadarma_numbers echoes back. It applies no business rule of its own: adoption, costs, guards
and the documents check are zadarma_numbers'.
"""

from __future__ import annotations

import difflib
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

COLLECTION = 'zadarma.telephony.'
AUTH_OPTIONS = ('api_key', 'api_secret', 'api_url', 'timeout', 'validate_certs', 'user_id')
ROLES_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'roles')
ROUTING_VARIABLE = 'zadarma_numbers'
# The facts and results the roles themselves set on every host: known names, not typos.
ROLE_OUTPUTS = {'number_order': ('number_order_run', 'number_order_result'),
                'number_routing': ('number_routing_run', 'number_routing_numbers')}
# The role variable each option of a zadarma_numbers entry comes from (number_order).
ORDER_VARIABLES = {'direction_id': 'number_order_destination', 'country': 'number_order_country'}


class ApiFailure(Exception):
    """A module call failed as a whole: its message, the writes it had done, and the request it failed on."""

    def __init__(self, msg, writes_done=(), ambiguous=None, method=None):
        super().__init__(msg)
        self.msg, self.writes_done, self.ambiguous, self.method = msg, list(writes_done), ambiguous, method


class Refusal(Exception):
    """One host's request cannot go on: the role variable it is about and why."""

    def __init__(self, variable, reason):
        super().__init__('%s: %s' % (variable, reason) if variable else reason)


def role_options(role):
    import yaml  # pylint: disable=import-outside-toplevel
    with open(os.path.join(ROLES_DIR, role, 'meta', 'argument_specs.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)['argument_specs']['main']['options']


def validator_spec(options):
    """A role's argument spec as ArgumentSpecValidator takes it (documentation keys left out)."""
    keys = ('type', 'elements', 'choices', 'default', 'required', 'no_log')
    spec = {}
    for name, option in options.items():
        spec[name] = dict((key, option[key]) for key in keys if key in option)
        if 'options' in option:
            spec[name]['options'] = validator_spec(option['options'])
    return spec


def typos(names, prefix, known):
    """The variables of a host that look meant for a role but are not its own, each with the closest known name."""
    candidates = sorted(set(known) | {ROUTING_VARIABLE})
    found = []
    for name in sorted(names):
        if name in candidates:
            continue
        if name.startswith(prefix) or difflib.get_close_matches(name, [ROUTING_VARIABLE], 1, 0.85):
            closest = difflib.get_close_matches(name, candidates, 1, 0.6)
            found.append('%s is not a variable of this role%s' % (
                name, ' (did you mean %s?)' % closest[0] if closest else ''))
    return found


def digits(number):
    return ''.join(c for c in str(number) if c.isdigit())


def money(amount, currency):
    return '%.2f %s' % (float(amount or 0), currency or '')


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('role', 'show_personal_data') + AUTH_OPTIONS)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        self.task_vars = task_vars or {}
        role = self._task.args.get('role')
        if role not in ROLE_OUTPUTS:
            raise AnsibleActionFail('role: must be number_order or number_routing, not %r' % (role,))
        self.writes, self.diffs, self.purchases, self.failure = False, [], [], None
        self.show_personal_data = boolean(self._task.args.get('show_personal_data', False), strict=False)
        hosts = list(self.task_vars.get('ansible_play_batch') or [])
        # Role defaults and play variables: what this task sees beyond its own host's variables.
        running = self.task_vars['hostvars'][self.task_vars['inventory_hostname']]
        self.play_scope = dict((name, self._templar.template(value)) for name, value in self.task_vars.items()
                               if name.startswith(role + '_') and name not in running
                               and name != 'number_order_documents_dir')
        outcome = self.order(hosts) if role == 'number_order' else self.route(hosts)
        # What this run paid for, and (after a failed call) what it had done and whether its last write may have
        # been processed: the same keys as the modules', so a job's money is read in one place.
        result.update(outcome, changed=self.writes, purchases=self.purchases)
        if self.failure is not None:
            result.update(writes_done=self.failure.writes_done, ambiguous=self.failure.ambiguous,
                          method=self.failure.method)
        if self.diffs:
            result['diff'] = self.diffs
        return result

    # Module calls ---------------------------------------------------------------------------------------

    def call(self, module, args):
        """Run one module of the collection with this task's credentials (module_defaults of the group included)."""
        fqcn = COLLECTION + module
        args.update((name, self._task.args[name]) for name in AUTH_OPTIONS if self._task.args.get(name) is not None)
        done = self._execute_module(module_name=fqcn, module_args=args, task_vars=self.task_vars)
        if done.get('failed'):
            self.failure = ApiFailure(done.get('msg') or '%s failed' % fqcn, done.get('writes_done') or (),
                                      done.get('ambiguous'), done.get('method'))
            raise self.failure
        self.writes = self.writes or bool(done.get('changed'))
        self.purchases.extend(done.get('purchases') or [])
        # A document group's diff holds personal values: shown only when asked for (show_personal_data).
        if done.get('diff') and (module != 'zadarma_document_group' or self.show_personal_data):
            self.diffs.extend(done['diff'] if isinstance(done['diff'], list) else [done['diff']])
        return done

    def host_vars(self, host, options, role):
        """The role variables of one host, validated and converted by the role's argument spec.

        A host's own variables come from hostvars; role defaults and play variables, which hostvars do not
        hold, from this task's variables (the same for every host of the play).
        """
        own = self.task_vars['hostvars'][host]
        prefix = role + '_'
        known = set(options) | set(ROLE_OUTPUTS[role])
        wrong = typos(list(own), prefix, known)
        if wrong:
            raise Refusal(None, '; '.join(wrong) + '. Nothing was done for this host.')
        values = {}
        for name in options:
            if name in own:
                values[name] = own[name]
            elif name in self.play_scope:
                values[name] = self.play_scope[name]
        checked = ArgumentSpecValidator(validator_spec(options)).validate(values)
        if checked.error_messages:
            raise Refusal(None, '; '.join(checked.error_messages))
        return checked.validated_parameters

    # number_routing -------------------------------------------------------------------------------------

    def route(self, hosts):
        options = role_options('number_routing')
        reports, declared, wanted, entries, where = {}, {}, {}, [], []
        for host in hosts:
            try:
                wanted[host] = self.host_vars(host, options, 'number_routing')[ROUTING_VARIABLE] or []
            except Refusal as refusal:
                reports[host] = dict(failed=True, msg='%s: %s' % (host, refusal))
                continue
            for item in wanted[host]:
                declared.setdefault(digits(item['number']), []).append(host)
        for host, own in wanted.items():
            shared = []
            for item in own:
                owners = declared[digits(item['number'])]
                if len(owners) > 1:
                    others = sorted(set(owners) - {host})
                    shared.append('%s is %s' % (digits(item['number']), 'also declared by ' + ', '.join(others)
                                                if others else 'listed twice'))
            if shared:
                reports[host] = dict(failed=True, msg='%s: a number must be declared by one host only, or the hosts '
                                     'would fight over its settings: %s. Nothing was changed for this host.'
                                     % (host, '; '.join(shared)))
                continue
            for index, item in enumerate(own):
                entries.append(dict(((k, v) for k, v in item.items() if v is not None), key=host))
                where.append('%s[%d]' % (ROUTING_VARIABLE, index))
        if not entries:
            return dict(hosts=reports)
        try:
            done = self.call('zadarma_numbers', dict(numbers=entries, fail_on_refusal=False))
        except ApiFailure as failure:
            return dict(hosts=self.fail_all([host for host in wanted if wanted[host]], reports, 'not converged', failure))
        refused, numbers = {}, {}
        for item in done.get('refused') or []:
            hint = (' (number_routing never orders a number: see zadarma.telephony.number_order)'
                    if item.get('option') == 'number' else '')
            refused.setdefault(item['key'], []).append('%s.%s: %s%s' % (where[item['index']], item['option'],
                                                                        item['reason'], hint))
        for item in done.get('numbers') or []:
            numbers.setdefault(item['key'], []).append(item)
        for host in wanted:
            if host in reports or not wanted[host]:
                continue
            own = numbers.get(host, [])
            if host in refused:
                reports[host] = dict(failed=True, numbers=own, msg='%s: %s. Its other numbers are converged.'
                                     % (host, '; '.join(refused[host])))
            else:
                reports[host] = dict(failed=False, changed=any(item.get('changes') for item in own), numbers=own,
                                     msg=[self.routing_line(item) for item in own])
        return dict(hosts=reports)

    def routing_line(self, item):
        check = self._task.check_mode
        return '%s: %s%s%s, %s, paid until %s%s%s' % (
            item['number'], 'rings on ' + item['sip'] if item.get('sip') else 'NOT ROUTED',
            ', caller name ' + item['caller_name'] if item.get('caller_name') else '',
            ', test mode' if item.get('test_mode') else '', item.get('status'), item.get('stop_date'),
            ', renews automatically' if item.get('autoprolongation') else ', lapses then (auto-renewal off)',
            '; %s%s' % ('would change: ' if check else 'changed: ', ', '.join(item['changes']))
            if item.get('changes') else '')

    def fail_all(self, hosts, reports, what, failure):
        writes = '; '.join(write.get('summary', str(write)) for write in failure.writes_done)
        for host in hosts:
            if host not in reports or not reports[host].get('failed'):
                reports[host] = dict(failed=True, msg='%s: %s: %s%s' % (
                    host, what, failure.msg, '. Writes already done (a re-run picks up from there): ' + writes
                    if writes else ''))
        return reports

    # number_order ---------------------------------------------------------------------------------------

    def order(self, hosts):
        options = role_options('number_order')
        reports, requests, without_order = {}, {}, []
        for host in hosts:
            try:
                request = self.order_request(host, options)
            except Refusal as refusal:
                reports[host] = dict(failed=True, msg='%s: %s' % (host, refusal))
                continue
            if request is None:
                without_order.append(host)
            else:
                requests[host] = request
        try:
            self.resolve_destinations(requests, reports)
            groups = self.ensure_groups(requests, reports)
            self.upload_files(requests, reports, groups)
        except ApiFailure as failure:
            return dict(hosts=self.fail_all(requests, reports, 'not ordered', failure), without_order=without_order)
        entries = [self.order_entry(host, request, groups) for host, request in requests.items()
                   if host not in reports]
        done = dict(numbers=[], refused=[])
        if entries:
            try:
                done = self.call('zadarma_numbers', dict(numbers=entries, fail_on_refusal=False))
            except ApiFailure as failure:
                return dict(hosts=self.fail_all(requests, reports, 'not ordered', failure), without_order=without_order)
        got = dict((item['key'], item) for item in done.get('numbers') or [])
        refused = dict((item['key'], item) for item in done.get('refused') or [])
        for host, request in requests.items():
            if host not in reports:
                reports[host] = self.order_report(host, request, groups, got.get(host), refused.get(host))
        return dict(hosts=reports, without_order=without_order)

    def order_request(self, host, options):
        """This host's order, or None when it declares none; refused before any request when incomplete."""
        values = self.host_vars(host, options, 'number_order')
        if values['number_order_country'] is None and values['number_order_destination'] is None:
            return None
        for name in ('number_order_country', 'number_order_destination'):
            if str(values[name] if values[name] is not None else '').strip() == '':
                raise Refusal(name, 'not set; an order needs number_order_country and number_order_destination')
        if not (values['number_order_sip_id'] or values['number_order_number']):
            raise Refusal('number_order_sip_id', 'not set, nor number_order_number: without a routing target or an '
                          'exact number, a re-run could not recognise the number it bought')
        base = values['number_order_documents_dir'] or self.task_vars['hostvars'][host].get('inventory_dir') \
            or self.task_vars.get('playbook_dir')
        files, missing = [], []
        for document in values['number_order_documents'] or []:
            path = os.path.join(base, os.path.expanduser(document['path']))
            (files if os.path.isfile(path) else missing).append(dict(path=path, document_type=document['document_type']))
        if missing:
            raise Refusal('number_order_documents', 'document file(s) not found: %s (relative paths start from %s)'
                          % (', '.join(item['path'] for item in missing), base))
        country = values['number_order_country'].strip().upper()
        if not (len(country) == 2 and country.isalpha()):
            raise Refusal('number_order_country', "'%s' is not an ISO 3166-1 alpha-2 code (such as DE)" % country)
        group = dict((k, v) for k, v in (values['number_order_documents_group'] or {}).items() if v is not None)
        values.update(country=country, files=files, group=group or None)
        return values

    def resolve_destinations(self, requests, reports):
        """One read per country of the play; each host's destination found by id or by name."""
        # A read that fails (credentials, the API down) fails every host once; an unknown country has no destinations.
        catalog = dict((country, self.call('zadarma_number_info', dict(country=country))['destinations'])
                       for country in sorted(set(request['country'] for request in requests.values())))
        for host, request in requests.items():
            destinations, wanted = catalog[request['country']], str(request['number_order_destination']).strip()
            found = [item for item in destinations
                     if (str(item['id']) == wanted if wanted.isdigit() else item['name'].lower() == wanted.lower())]
            if found:
                request['destination'] = found[0]
            else:
                reports[host] = dict(failed=True, msg='%s: number_order_destination: %s is not a destination of %s. '
                                     'Available: %s (give the name or the id).' % (
                                         host, wanted, request['country'], ', '.join(
                                             '%s (%s)' % (item['name'], item['id']) for item in destinations) or 'none'))

    def ensure_groups(self, requests, reports):
        """Each document group of the play once (personal fields never in any message); {host: group outcome}."""
        by_identity, groups = {}, {}
        for host, request in requests.items():
            if host in reports or not request['group']:
                continue
            fields, group_id = request['group'], request['number_order_documents_group_id']
            names = tuple(str(fields.get(k, '')) for k in ('salutation', 'first_name', 'last_name', 'organization'))
            identity = (('id', group_id) if group_id is not None else
                        ('match',) + names + (str(fields.get('email', '')).lower(),))
            by_identity.setdefault(identity, []).append(host)
        show = self.show_personal_data
        for hosts in by_identity.values():
            first = requests[hosts[0]]
            differ = [host for host in hosts if requests[host]['group'] != first['group']]
            if differ:
                for host in hosts:
                    reports[host] = dict(failed=True, msg='%s: number_order_documents_group: %s describe the same '
                                         'document group (same id, or same salutation, names, organization and '
                                         'e-mail) with different fields, so every run would change it back and '
                                         'forth. Describe each group once, for example in group_vars.'
                                         % (host, ', '.join(hosts)))
                continue
            args = dict(first['group'])
            if first['number_order_documents_group_id'] is not None:
                args['group_id'] = first['number_order_documents_group_id']
            if show:
                args['show_personal_data'] = True
            try:
                done = self.call('zadarma_document_group', args)
            except ApiFailure as failure:
                for host in hosts:
                    reports[host] = dict(failed=True, msg='%s: number_order_documents_group: %s' % (host, failure.msg))
                continue
            outcome = dict(id=(done.get('group') or {}).get('id'), created=bool(done.get('created')),
                           changed=bool(done.get('changed')), uploads_changed=False)
            if show:
                outcome['record'] = done.get('group')
            for host in hosts:
                groups[host] = outcome
        return groups

    def upload_files(self, requests, reports, groups):
        """Each file of the play once, to its host's group (none while the group does not exist, in check mode)."""
        uploads = {}
        for host, request in requests.items():
            group = groups.get(host) or dict(id=request['number_order_documents_group_id'] or 0)
            if host in reports or group['id'] is None:
                continue
            for item in request['files']:
                uploads.setdefault((group['id'], item['path'], item['document_type']), []).append(host)
        for (group_id, path, document_type), hosts in uploads.items():
            try:
                done = self.call('zadarma_document_file', dict(group_id=group_id, path=path,
                                                               document_type=document_type))
            except ApiFailure as failure:
                for host in hosts:
                    reports[host] = dict(failed=True, msg='%s: number_order_documents: %s: %s'
                                         % (host, os.path.basename(path), failure.msg))
                continue
            for host in hosts:
                if done.get('changed') and host in groups:
                    groups[host]['uploads_changed'] = True

    def order_entry(self, host, request, groups):
        group = groups.get(host)
        entry = dict(key=host, direction_id=request['destination']['id'], country=request['country'],
                     number=request['number_order_number'], mask=request['number_order_mask'],
                     sip_id=request['number_order_sip_id'], caller_name=request['number_order_caller_name'],
                     autoprolongation=request['number_order_autoprolongation'], period=request['number_order_period'],
                     receive_sms=request['number_order_receive_sms'],
                     autorenew_period=request['number_order_autorenew_period'],
                     documents_group_id=group['id'] if group else request['number_order_documents_group_id'],
                     max_connect_fee=request['number_order_max_connect_fee'],
                     max_monthly_fee=request['number_order_max_monthly_fee'])
        return dict((k, v) for k, v in entry.items() if v is not None)

    def order_report(self, host, request, groups, got, refusal):
        destination, check = request['destination'], self._task.check_mode
        currency = destination.get('currency')
        needs = list(destination.get('documents_required') or []) + list(destination.get('data_required') or [])
        fees = '%s: %s (%s, destination %s): connection fee %s, monthly fee %s; %s' % (
            host, destination['name'], request['country'], destination['id'],
            money(destination.get('connect_fee'), currency), money(destination.get('monthly_fee'), currency),
            ''.join(part for part in (
                'documents to upload: %s; ' % ', '.join(destination['documents_required'])
                if destination.get('documents_required') else '',
                'data the group must hold: %s; ' % ', '.join(destination['data_required'])
                if destination.get('data_required') else '',
                'no documents required; ' if not needs else '')).rstrip('; ') + '.')
        group = groups.get(host) or {}
        summary = dict(destination=dict(id=destination['id'], name=destination['name'], country=request['country']),
                       currency=currency, sip_id=request['number_order_sip_id'], status=None, number=None,
                       ordered=False, cost=0.0)
        pending = check and (group.get('id') is None and bool(group) or group.get('changed')
                             or group.get('uploads_changed'))
        if refusal and pending and refusal.get('option') == 'documents_group_id':
            months = 3 if request['number_order_period'] == '3month' else 1
            summary.update(ordered=True, cost=round(float(destination.get('connect_fee') or 0)
                                                    + months * float(destination.get('monthly_fee') or 0), 2))
            line = ('%s: would buy a number in %s for %s, routed to %s (check mode: the number is chosen once the '
                    'document group and its files are in place).'
                    % (host, destination['name'], money(summary['cost'], currency), summary['sip_id']))
            return dict(failed=False, changed=True, msg=[fees, line], result=summary)
        if refusal:
            return dict(failed=True, msg='%s: %s: %s. Nothing was bought for this host.' % (
                host, self.order_variable(refusal.get('option'), request), refusal.get('reason')))
        ordered = got.get('decision') == 'ordered'
        summary.update(number=got.get('number'), ordered=ordered, cost=float(got.get('cost') or 0.0),
                       sip_id=got.get('sip'), status=got.get('status'))
        changes = got.get('changes') or []
        line = '%s: %s%s in %s%s; %s%s%s%s.' % (
            host, ('would buy ' if check else 'bought ') if ordered else 'already owns ', got.get('number'),
            destination['name'], ' for ' + money(summary['cost'], currency) if ordered else '',
            'rings on ' + got['sip'] if got.get('sip') else 'not routed',
            ', status ' + got['status'] if got.get('status') not in (None, 'on') else '',
            '; %s%s' % ('would change: ' if check else 'changed: ', ', '.join(changes)) if changes else '',
            '; documents not verified yet, Zadarma activates the number after checking them'
            if got.get('status') == 'checking' else '')
        if group.get('record') is not None:
            summary['group'] = group['record']
        return dict(failed=False, changed=ordered or bool(changes) or bool(group.get('changed'))
                    or bool(group.get('uploads_changed')), msg=[fees, line], result=summary)

    @staticmethod
    def order_variable(option, request):
        """The role variable a zadarma_numbers option of an entry came from."""
        if option == 'documents_group_id' and request['group']:
            return 'number_order_documents_group'
        if option in ORDER_VARIABLES:
            return ORDER_VARIABLES[option]
        if option == 'number' and not request['number_order_number']:
            return 'number_order_destination'
        return 'number_order_' + option if option else 'number_order'
