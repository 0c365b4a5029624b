# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Zadarma request signatures, as the server checks them.

string_to_sign = path + param_string + md5_hex(param_string), where param_string is the parameters
sorted by key and encoded like PHP ``http_build_query(..., PHP_QUERY_RFC1738)``;
signature = base64(hex HMAC-SHA1(secret, string_to_sign)); header ``Authorization: <key>:<signature>``.
"""

import base64
import hashlib
import hmac

# Bytes that PHP's RFC 1738 encoding leaves literal; space becomes '+', everything else %XX.
_LITERAL = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.')


def rfc1738(text):
    """Encode one key or value like PHP urlencode()."""
    out = []
    for byte in str(text).encode('utf-8'):
        if byte in _LITERAL:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append('+')
        else:
            out.append('%{0:02X}'.format(byte))
    return ''.join(out)


def param_string(params):
    """Sorted, RFC 1738 encoded ``k=v&...``; parameters whose value is None are dropped."""
    items = sorted((str(key), str(value)) for key, value in (params or {}).items() if value is not None)
    return '&'.join('{0}={1}'.format(rfc1738(key), rfc1738(value)) for key, value in items)


def signature(path, params, secret):
    """The 56-character signature of a request to ``path`` (as sent) with ``params``."""
    query = param_string(params)
    to_sign = path + query + hashlib.md5(query.encode('utf-8')).hexdigest()
    digest = hmac.new(secret.encode('utf-8'), to_sign.encode('utf-8'), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode('ascii')).decode('ascii')


def authorization(key, secret, path, params):
    """The Authorization header value a client sends."""
    return '{0}:{1}'.format(key, signature(path, params, secret))


def verify(header, key, secret, path, params):
    """True when ``header`` is ``key:signature`` for this request; constant-time comparisons."""
    given_key, sep, given_sig = (header or '').strip().partition(':')
    if not sep:
        return False
    key_ok = hmac.compare_digest(given_key.encode('utf-8'), key.encode('utf-8'))
    sig_ok = hmac.compare_digest(given_sig.encode('utf-8'), signature(path, params, secret).encode('utf-8'))
    return key_ok and sig_ok
