# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small multipart/form-data parser (the cgi module is deprecated): the file part keeps its raw bytes."""

from email.message import Message
from email.parser import HeaderParser
from email.utils import collapse_rfc2231_value

from .common import ApiError

IDENTITY_ENCODINGS = ('', '7bit', '8bit', 'binary')


def header_params(value):
    """Parse ``multipart/form-data; boundary=x`` style headers: (main value, {param: value})."""
    message = Message()
    message['content-type'] = value
    params = message.get_params() or []
    main = params[0][0] if params else ''
    return main.lower(), {key.lower(): collapse_rfc2231_value(val) for key, val in params[1:]}


def parse(content_type, body, file_field='file'):
    """(fields, file) of a multipart body. ``file`` is {'filename', 'content', 'content_type'} or None.

    The part named ``file_field`` is the file; every other part is a text field (UTF-8).
    A Content-Transfer-Encoding other than identity is refused: the API expects raw bytes.
    """
    boundary = header_params(content_type)[1].get('boundary')
    if not boundary:
        raise ApiError('Malformed multipart body: no boundary')
    delimiter = b'--' + boundary.encode('latin-1')
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b'--'):
        raise ApiError('Malformed multipart body')
    fields, upload = {}, None
    for chunk in chunks[1:-1]:
        name, filename, part_type, content = _part(chunk)
        if name == file_field:
            upload = {'filename': filename, 'content': content, 'content_type': part_type}
        else:
            try:
                fields[name] = content.decode('utf-8')
            except UnicodeDecodeError:
                raise ApiError('Malformed multipart body: field {0} is not UTF-8'.format(name)) from None
    return fields, upload


def _part(chunk):
    """One part between delimiters -> (name, filename, content type, raw content)."""
    chunk = chunk[2:] if chunk.startswith(b'\r\n') else chunk[1:] if chunk.startswith(b'\n') else chunk
    head, sep, content = chunk.partition(b'\r\n\r\n')
    if not sep:
        head, sep, content = chunk.partition(b'\n\n')
    if not sep:
        raise ApiError('Malformed multipart body: a part has no header')
    # The line break before the next delimiter belongs to the delimiter.
    content = content[:-2] if content.endswith(b'\r\n') else content[:-1] if content.endswith(b'\n') else content
    # Browsers and urllib3 send a non-ASCII filename as raw UTF-8 in the header.
    headers = HeaderParser().parsestr(head.decode('utf-8', 'replace') + '\r\n\r\n')
    encoding = (headers.get('content-transfer-encoding') or '').strip().lower()
    if encoding not in IDENTITY_ENCODINGS:
        raise ApiError('Unsupported Content-Transfer-Encoding {0!r}: send the raw bytes'.format(encoding))
    disposition, params = header_params(headers.get('content-disposition') or '')
    if disposition != 'form-data' or not params.get('name'):
        raise ApiError('Malformed multipart body: a part has no form-data name')
    return params['name'], params.get('filename'), headers.get('content-type'), content
