# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml's action group must list exactly the collection's modules.

module_defaults for group/zadarma.telephony.zadarma silently does nothing for a module that is missing
from the group, so compare the group with plugins/modules/ in both directions.
"""

from __future__ import annotations

import ast
import os

import yaml

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FQCN_PREFIX = 'zadarma.telephony.'
GROUP = 'zadarma'


def _modules():
    modules_dir = os.path.join(COLLECTION_ROOT, 'plugins', 'modules')
    if not os.path.isdir(modules_dir):
        return set()
    return set(
        os.path.splitext(name)[0]
        for name in os.listdir(modules_dir)
        if name.endswith('.py') and not name.startswith('_')
    )


def _action_group():
    with open(os.path.join(COLLECTION_ROOT, 'meta', 'runtime.yml'), encoding='utf-8') as handle:
        runtime = yaml.safe_load(handle) or {}
    entries = (runtime.get('action_groups') or {}).get(GROUP)
    assert entries is not None, 'meta/runtime.yml has no action group %r' % GROUP
    names = [entry for entry in entries if isinstance(entry, str)]  # skip `metadata:` mappings
    return [name[len(FQCN_PREFIX):] if name.startswith(FQCN_PREFIX) else name for name in names]


def test_action_group_has_no_duplicates():
    group = _action_group()
    duplicates = sorted(set(name for name in group if group.count(name) > 1))
    assert not duplicates, 'listed more than once in action group %r: %s' % (GROUP, ', '.join(duplicates))


def test_action_group_lists_every_module():
    missing = sorted(_modules() - set(_action_group()))
    assert not missing, (
        'modules missing from action group %r in meta/runtime.yml: %s' % (GROUP, ', '.join(missing)))


def test_action_group_lists_only_existing_modules():
    extra = sorted(set(_action_group()) - _modules())
    assert not extra, (
        'action group %r in meta/runtime.yml lists modules that do not exist in plugins/modules/: %s'
        % (GROUP, ', '.join(extra)))


# Keys ansible-core gives a meaning and a type to in every task result (2.21 coerces them: a list under
# `skipped` becomes a bool). A module's own return values must not use them.
RESERVED_RESULT_KEYS = {
    'changed', 'failed', 'unreachable', 'skipped', 'warnings', 'deprecations', 'ansible_facts', 'exception',
    'finished', 'rc', 'diff', 'ansible_stats', 'ansible_job_id', 'invocation', 'results',
}


def test_no_module_returns_a_key_ansible_core_reserves():
    clashes = []
    for module in sorted(_modules()):
        path = os.path.join(COLLECTION_ROOT, 'plugins', 'modules', module + '.py')
        with open(path, encoding='utf-8') as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'RETURN':
                keys = set(yaml.safe_load(node.value.value) or {})
                clashes.extend('%s: %s' % (module, key) for key in sorted(keys & RESERVED_RESULT_KEYS))
    assert not clashes, 'return values named like the keys ansible-core reserves: %s' % ', '.join(clashes)
