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
      - If not set, the value of the E(ZADARMA_API_KEY) environment variable is used. One of the two is required.
    type: str
  api_secret:
    description:
      - The Zadarma API secret used to sign every request. It is never sent, logged or returned.
      - If not set, the value of the E(ZADARMA_API_SECRET) environment variable is used. One of the two is required.
    type: str
  api_url:
    description:
      - Base URL of the API, C(scheme://host[:port]) and nothing else.
      - Plain C(http://) is refused unless the host is a loopback address (such as the bundled simulator), because
        Zadarma signatures carry no nonce and a request seen on the wire could be replayed.
      - User information (C(user@)), a path, a query, a fragment, backslashes, C(%) escapes, whitespace, control
        and non-ASCII characters are refused, and every request is checked to go to this host before it is sent.
      - Requests to a loopback host never go through a proxy. Requests to other hosts honour E(HTTPS_PROXY) and
        E(NO_PROXY). C(~/.netrc) is never read.
      - If not set, the value of the E(ZADARMA_API_URL) environment variable is used.
    type: str
    default: https://api.zadarma.com
  timeout:
    description:
      - Seconds to wait for each HTTP response. Must be above 0.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate.
      - V(false) is refused unless the host of O(api_url) is a loopback address (a local test server): a signed
        request or an uploaded passport seen by a man in the middle cannot be taken back. To trust a private
        certificate authority, set E(REQUESTS_CA_BUNDLE) (or E(CURL_CA_BUNDLE)) to its bundle instead.
    type: bool
    default: true
notes:
  - All modules of this collection are in the action group C(zadarma.telephony.zadarma), so the options
    above can be set once with C(module_defaults) and C(group/zadarma.telephony.zadarma).
  - The client waits out HTTP 429 (rate limit) and paces itself from the C(X-RateLimit-*) headers; reads
    and settings are retried after transient failures, while orders, prolongations, group creation and
    uploads are never sent twice. See the collection's C(docs/failures.md) and C(docs/security.md).
requirements:
  - requests >= 2.32.4
'''

    USER_ID = r'''
options:
  user_id:
    description:
      - For partners (resellers) acting for a customer's sub-account.
      - Passed on to the API methods that accept it, as the official API specification marks them.
    type: int
'''
