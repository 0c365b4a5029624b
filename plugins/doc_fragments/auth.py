# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  api_key:
    description:
      - The Zadarma API key (the C(Key) shown at U(https://my.zadarma.com/api/)).
      - If not set, the value of the E(ZADARMA_API_KEY) environment variable is used.
    type: str
    required: true
  api_secret:
    description:
      - The Zadarma API secret used to sign every request. It is never sent, logged or returned.
      - If not set, the value of the E(ZADARMA_API_SECRET) environment variable is used.
    type: str
    required: true
  api_url:
    description:
      - Base URL of the API.
      - Plain C(http://) is refused unless the host is a loopback address (such as the bundled simulator), because
        Zadarma signatures carry no nonce and a request seen on the wire could be replayed.
      - If not set, the value of the E(ZADARMA_API_URL) environment variable is used.
    type: str
    default: https://api.zadarma.com
  timeout:
    description:
      - Seconds to wait for each HTTP response.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only set to V(false) against a test server.
    type: bool
    default: true
notes:
  - All modules of this collection are in the action group C(zadarma.telephony.zadarma), so the options
    above can be set once with C(module_defaults) and C(group/zadarma.telephony.zadarma).
  - The client waits out HTTP 429 (rate limit) and paces itself from the C(X-RateLimit-*) headers; reads
    and settings are retried after transient failures, while orders, prolongations, group creation and
    uploads are never sent twice. See the collection's C(docs/failures.md).
requirements:
  - requests
'''

    USER_ID = r'''
options:
  user_id:
    description:
      - For partners (resellers) acting for a customer's sub-account.
      - Passed on to the API methods that accept it, as the official API specification marks them.
    type: int
'''
