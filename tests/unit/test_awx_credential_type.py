# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type injects exactly the environment variables the modules fall back to."""

from __future__ import annotations

import os
import re

import yaml

from ansible_collections.zadarma.telephony.plugins.module_utils._base import AUTH_ARGUMENT_SPEC

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(ROOT, 'extensions', 'awx', 'credential_type.yml')


def load():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


def env_fallbacks():
    """{option: env var} from the modules' shared argument spec."""
    return dict((option, spec['fallback'][1][0]) for option, spec in AUTH_ARGUMENT_SPEC.items() if 'fallback' in spec)


def test_injectors_match_the_env_fallbacks():
    injected = load()['injectors']['env']
    fallbacks = env_fallbacks()
    assert sorted(injected) == sorted(fallbacks.values())
    for option, variable in fallbacks.items():
        # Each variable is filled from the input of the same name as the module option.
        assert re.fullmatch(r"\{\{\s*%s\s*\}\}" % option, injected[variable]), (variable, injected[variable])


def test_inputs_cover_the_injected_options_and_hide_the_secret():
    fields = dict((field['id'], field) for field in load()['inputs']['fields'])
    assert sorted(fields) == sorted(env_fallbacks())
    assert fields['api_secret'].get('secret') is True
    assert not fields['api_key'].get('secret')
    assert fields['api_url']['default'] == AUTH_ARGUMENT_SPEC['api_url']['default']
    assert sorted(load()['inputs']['required']) == ['api_key', 'api_secret']
