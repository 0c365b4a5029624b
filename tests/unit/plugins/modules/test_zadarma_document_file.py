# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of zadarma_document_file: the local file checks, the compare logic, and the exact requests sent.

HTTP is mocked with ``responses``; a failed local check must send no request at all.
"""

from __future__ import annotations

import functools
import os
import threading

from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils import _documents as docs
from ansible_collections.zadarma.telephony.plugins.modules import zadarma_document_file as module
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules import module_harness as harness
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness import API

FILES = API + '/v1/documents/files/'
UPLOAD = API + '/v1/documents/upload/'
PDF = b'%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'
JPEG = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00' + b'\x00' * 32
PNG = b'\x89PNG\r\n\x1a\n' + b'\x00\x00\x00\rIHDR' + b'\x00' * 32

ok = functools.partial(harness.ok, module)
failed = functools.partial(harness.failed, module)


def query(call):
    params = dict(parse_qsl(urlsplit(call.request.url).query, keep_blank_values=True))
    params.pop('format', None)
    return params


def uploads(api):
    return [call for call in api.calls if call.request.method == 'POST']


def listing(*files):
    return dict(status='success', documents=[dict(type=kind, is_verified=verified, source='upload', name=name)
                                             for name, kind, verified in files])


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / 'passport.pdf'
    path.write_bytes(PDF)
    return str(path)


# Local checks -----------------------------------------------------------------------------------

@pytest.mark.parametrize('content, expected', [
    (PDF, ('application/pdf', 'PDF')),
    (JPEG, ('image/jpeg', 'JPEG')),
    (PNG, ('image/png', 'PNG')),
    (b'GIF89a', None),
    (b'%PDF', None),
    (b'\x89PNG\r\n', None),
    (b'hello', None),
])
def test_sniff_format(content, expected):
    assert docs.sniff_format(content) == expected


@pytest.mark.parametrize('name, content, mime', [
    ('passport.pdf', PDF, 'application/pdf'),
    ('scan.JPG', JPEG, 'image/jpeg'),
    ('scan.jpeg', JPEG, 'image/jpeg'),
    ('company_letter.png', PNG, 'image/png'),
])
def test_read_document_accepts(tmp_path, name, content, mime):
    path = tmp_path / name
    path.write_bytes(content)
    document = docs.read_document(str(path))
    assert document == dict(name=name, content=content, content_type=mime, format=docs.sniff_format(content)[1],
                            size=len(content))


def test_read_document_refuses_a_missing_file(tmp_path):
    path = str(tmp_path / 'nope.pdf')
    with pytest.raises(ValueError) as caught:
        docs.read_document(path)
    assert str(caught.value) == 'path: %s does not exist' % path


def test_read_document_refuses_a_directory(tmp_path):
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(tmp_path))
    assert str(caught.value) == 'path: %s is a directory, not a file' % tmp_path


def test_read_document_refuses_a_special_file(tmp_path):
    fifo = str(tmp_path / 'fifo.pdf')
    os.mkfifo(fifo)
    with pytest.raises(ValueError) as caught:
        docs.read_document(fifo)
    assert str(caught.value) == 'path: %s is not a regular file' % fifo


def test_read_document_refuses_an_empty_file(tmp_path):
    path = tmp_path / 'empty.pdf'
    path.write_bytes(b'')
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == 'path: %s is empty' % path


def test_read_document_refuses_a_file_over_10_mib(tmp_path):
    path = tmp_path / 'big.pdf'
    with open(str(path), 'wb') as handle:
        handle.write(PDF)
        handle.truncate(10 * 1024 * 1024 + 1)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == ('path: %s is 10485761 bytes, over the upload limit of 10485760 bytes (10 MiB)'
                                 % path)


def test_read_document_accepts_exactly_10_mib(tmp_path):
    path = tmp_path / 'big.pdf'
    with open(str(path), 'wb') as handle:
        handle.write(PDF)
        handle.truncate(10 * 1024 * 1024)
    assert docs.read_document(str(path))['size'] == 10 * 1024 * 1024


def test_read_document_refuses_an_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / 'locked.pdf'
    path.write_bytes(PDF)
    real_open = os.open

    def denied(name, *args, **kwargs):
        if name == str(path):
            raise PermissionError(13, 'Permission denied')
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr('os.open', denied)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == 'path: %s is not readable (Permission denied)' % path


@pytest.mark.parametrize('name, content', [
    ('passport.pdf', b'just some text, named like a PDF'),
    ('photo.gif', b'GIF89a\x01\x00\x01\x00'),
    ('scan.png', b'<html></html>'),
])
def test_read_document_judges_the_type_by_content(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == ('path: %s is not a PDF, JPEG or PNG file (judged by its content, whatever its '
                                 'name); only these formats can be uploaded' % path)


def test_read_document_refuses_an_extension_that_contradicts_the_content(tmp_path):
    path = tmp_path / 'passport.pdf'
    path.write_bytes(PNG)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == 'path: %s is named .pdf but its content is PNG; name it .png to match' % path


@pytest.mark.parametrize('name, content, message', [
    ('scan.bin', PDF, 'is named .bin but its content is PDF; name it .pdf to match'),
    ('scan', PNG, 'is named without an extension but its content is PNG; name it .png to match'),
    ('scan.txt', JPEG, 'is named .txt but its content is JPEG; name it .jpeg or .jpg to match'),
])
def test_read_document_refuses_an_unknown_extension(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path))
    assert str(caught.value) == 'path: %s %s' % (path, message)


def test_read_document_refuses_a_symbolic_link_unless_allowed(tmp_path):
    target = tmp_path / 'elsewhere.pdf'
    target.write_bytes(PDF)
    link = tmp_path / 'passport.pdf'
    link.symlink_to(target)
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(link))
    assert str(caught.value) == ('path: %s is a symbolic link; set follow_symlinks=true to upload the file it '
                                 'points to' % link)
    assert docs.read_document(str(link), follow_symlinks=True)['content'] == PDF


def _in_a_thread(function, *args, **kwargs):
    """function's result or ValueError, or 'hung' when it has not returned after 5 seconds."""
    outcome = []

    def run():
        try:
            outcome.append(function(*args, **kwargs))
        except ValueError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    return outcome[0] if outcome else 'hung'


def test_a_fifo_never_hangs_the_run(tmp_path):
    fifo = str(tmp_path / 'fifo.pdf')
    os.mkfifo(fifo)
    outcome = _in_a_thread(docs.read_document, fifo)
    assert str(outcome) == 'path: %s is not a regular file' % fifo


def test_a_file_swapped_for_a_fifo_after_the_checks_never_hangs_the_run(tmp_path, monkeypatch):
    """The file is checked and read through one open descriptor: swapping the path meanwhile changes nothing."""
    path = tmp_path / 'passport.pdf'
    path.write_bytes(PDF)
    real_getsize, real_fstat = os.path.getsize, os.fstat

    def swap_in_a_fifo():
        if path.is_file():
            path.unlink()
            os.mkfifo(str(path))

    monkeypatch.setattr(os.path, 'getsize', lambda name: (real_getsize(name), swap_in_a_fifo())[0])
    monkeypatch.setattr(os, 'fstat', lambda fd: (real_fstat(fd), swap_in_a_fifo())[0])
    outcome = _in_a_thread(docs.read_document, str(path))
    assert outcome != 'hung'
    assert isinstance(outcome, dict) and outcome['content'] == PDF


def test_a_file_that_grows_after_the_size_check_is_refused(tmp_path, monkeypatch):
    path = tmp_path / 'passport.pdf'
    path.write_bytes(PDF)
    real_getsize, real_fstat = os.path.getsize, os.fstat

    def grow():
        with open(str(path), 'ab') as handle:
            handle.write(b'x' * 200)

    monkeypatch.setattr(os.path, 'getsize', lambda name: (real_getsize(name), grow())[0])
    monkeypatch.setattr(os, 'fstat', lambda fd: (real_fstat(fd), grow())[0])
    with pytest.raises(ValueError) as caught:
        docs.read_document(str(path), limit=100)
    assert str(caught.value) == 'path: %s grew over the upload limit of 100 bytes (0 MiB) while it was read' % path


class FakeFilesClient(object):
    def __init__(self, documents):
        self.documents, self.sent = documents, []

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None):
        self.sent.append((http_method, endpoint, params))
        return dict(status='success', documents=self.documents)


def test_matching_files():
    documents = [dict(type='passport', is_verified='true', source='upload', name='passport.pdf'),
                 dict(type='contract', is_verified='false', source='upload', name='passport.pdf'),
                 dict(type='passport', is_verified='false', source='upload', name='other.pdf'),
                 'garbage']
    client = FakeFilesClient(documents)
    files = api.group_files(client, 5, 1001)
    assert client.sent == [('GET', 'documents/files', dict(group_id=5, user_id=1001))]
    assert docs.matching_files(files, 'passport.pdf', 'passport') == [
        dict(name='passport.pdf', type='passport', verified=True, source='upload')]
    assert api.group_files(FakeFilesClient(None), 5) == []


# The module: requests sent ---------------------------------------------------------------------

def test_uploads_a_new_file_and_reads_the_list_once(api, pdf):
    api.get(FILES, json=listing(('other.pdf', 'passport', 'true')))
    api.post(UPLOAD, json=dict(status='success', message='uploaded', doc_name='passport.pdf'))
    api.get(FILES, json=listing(('other.pdf', 'passport', 'true'), ('passport.pdf', 'passport', 'false')))
    result = ok(dict(document_type='passport', path=pdf, group_id=3, user_id=1001), diff=True)
    assert result['changed'] is True and result['uploaded'] is True
    assert result['document'] == dict(name='passport.pdf', type='passport', verified=False, source='upload')
    assert query(api.calls[0]) == dict(group_id='3', user_id='1001')
    upload, = uploads(api)
    body = upload.request.body
    assert upload.request.headers['Content-Type'].startswith('multipart/form-data')
    assert PDF in body and b'filename="passport.pdf"' in body and b'Content-Type: application/pdf' in body
    for field, value in (('group_id', b'3'), ('document_type', b'passport'), ('user_id', b'1001'),
                         ('format', b'json')):
        assert b'name="%s"\r\n\r\n%s\r\n' % (field.encode(), value) in body
    assert result['diff'] == dict(before=dict(files=[]), after=dict(files=[result['document']]))


def test_an_existing_file_is_not_uploaded_again(api, pdf):
    api.get(FILES, json=listing(('passport.pdf', 'passport', 'true')))
    result = ok(dict(document_type='passport', path=pdf), diff=True)
    assert result['changed'] is False and result['uploaded'] is False
    assert result['document'] == dict(name='passport.pdf', type='passport', verified=True, source='upload')
    assert query(api.calls[0]) == dict(group_id='0')
    assert uploads(api) == []
    assert result['diff']['before'] == result['diff']['after']


def test_same_name_with_another_type_is_uploaded(api, pdf):
    api.get(FILES, json=listing(('passport.pdf', 'contract', 'true')))
    api.post(UPLOAD, json=dict(status='success', message='uploaded', doc_name='passport.pdf'))
    api.get(FILES, json=listing(('passport.pdf', 'contract', 'true'), ('passport.pdf', 'passport', 'false')))
    result = ok(dict(document_type='passport', path=pdf))
    assert result['changed'] is True and result['document']['type'] == 'passport'


def test_force_uploads_again(api, pdf):
    api.get(FILES, json=listing(('passport.pdf', 'passport', 'true')))
    api.post(UPLOAD, json=dict(status='success', message='uploaded', doc_name='passport.pdf'))
    api.get(FILES, json=listing(('passport.pdf', 'passport', 'true'), ('passport.pdf', 'passport', 'false')))
    result = ok(dict(document_type='passport', path=pdf, force=True), diff=True)
    assert result['changed'] is True and len(uploads(api)) == 1
    assert result['document']['verified'] is False
    assert len(result['diff']['before']['files']) == 1 and len(result['diff']['after']['files']) == 2


def test_check_mode_uploads_nothing(api, pdf):
    api.get(FILES, json=listing())
    result = ok(dict(document_type='passport', path=pdf), check_mode=True, diff=True)
    assert result['changed'] is True
    assert result['document'] == dict(name='passport.pdf', type='passport', verified=False, source=None)
    assert result['diff']['after'] == dict(files=[result['document']])
    assert len(api.calls) == 1


def test_the_name_the_api_gives_is_followed(api, pdf):
    api.get(FILES, json=listing())
    api.post(UPLOAD, json=dict(status='success', message='uploaded', doc_name='passport_1.pdf'))
    api.get(FILES, json=listing())
    result = ok(dict(document_type='passport', path=pdf))
    assert result['document'] == dict(name='passport_1.pdf', type='passport', verified=False, source=None)


# The module: failures --------------------------------------------------------------------------

def test_an_ambiguous_upload_failure_is_not_retried(api, pdf):
    api.get(FILES, json=listing())
    api.post(UPLOAD, status=502, body='Bad Gateway')
    result = failed(dict(document_type='passport', path=pdf))
    assert len(uploads(api)) == 1
    assert 'it was NOT sent again because it is not idempotent' in result['msg']
    assert result['ambiguous'] is True and result['changed'] is False


def test_a_refused_upload_reports_no_change(api, pdf):
    api.get(FILES, json=listing())
    api.post(UPLOAD, status=400, json=dict(status='error', message='Wrong parameter: document_type'))
    result = failed(dict(document_type='passport', path=pdf))
    assert result['msg'] == ('POST /v1/documents/upload/: the API refused the request (HTTP 400): '
                             'Wrong parameter: document_type')
    assert result['changed'] is False and 'writes_done' not in result


def test_an_api_refusal_is_reported(api, pdf):
    api.get(FILES, status=404, json=dict(status='error', message='Document group not found'))
    result = failed(dict(document_type='passport', path=pdf, group_id=42))
    assert 'Document group not found' in result['msg']


def test_a_failure_after_the_upload_reports_it(api, pdf):
    api.get(FILES, json=listing())
    api.post(UPLOAD, json=dict(status='success', message='uploaded', doc_name='passport.pdf'))
    api.get(FILES, status=400, json=dict(status='error', message='Something else'))
    result = failed(dict(document_type='passport', path=pdf))
    assert result['changed'] is True
    assert result['writes_done'] == [dict(request='POST documents/upload',
                                          summary='upload passport.pdf as passport to document group 0')]


@pytest.mark.parametrize('name, content, message', [
    ('missing.pdf', None, 'does not exist'),
    ('empty.pdf', b'', 'is empty'),
    ('notes.pdf', b'plain text', 'is not a PDF, JPEG or PNG file'),
    ('photo.png', JPEG, 'is named .png but its content is JPEG'),
])
def test_bad_files_fail_before_any_request(api, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = failed(dict(document_type='passport', path=str(path)))
    assert result['msg'].startswith('path: %s ' % path) and message in result['msg']
    assert len(api.calls) == 0


def test_bad_options_fail_before_any_request(api, pdf, tmp_path):
    assert 'value of document_type must be one of' in failed(dict(document_type='selfie', path=pdf))['msg']
    assert failed(dict(document_type='passport', path=pdf, group_id=-1))['msg'] == \
        'group_id: must not be negative, got -1'
    assert failed(dict(document_type='passport', path=str(tmp_path)))['msg'] == \
        'path: %s is a directory, not a file' % tmp_path
    assert len(api.calls) == 0
