#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_document_file
short_description: Upload a document (passport scan, bill, ...) to a Zadarma document group
version_added: 0.1.0
description:
  - Uploads a local PDF, JPEG or PNG file to a document group, unless a file with the same name (the base name of
    O(path)) and the same O(document_type) is already in the group.
  - The file is checked before any request is sent. It must exist, be a readable regular file (not a symbolic
    link unless O(follow_symlinks=true)), not be empty, be at most 10 MiB, and be a PDF, JPEG or PNG as judged
    by its content, with the extension that names it (C(.pdf), C(.jpg), C(.jpeg) or C(.png)); a PNG named
    C(.pdf) or a PDF named C(.bin) is refused.
  - The file is opened once, without blocking (a FIFO is refused, not waited on), and what was read is what is
    checked and sent, even if the file is swapped or grows meanwhile.
  - The API can neither delete nor replace an uploaded file; O(force=true) uploads another copy.
author: zadarma.telephony contributors (@zadarma)
extends_documentation_fragment:
  - zadarma.telephony.attributes
  - zadarma.telephony.auth
  - zadarma.telephony.auth.user_id
attributes:
  check_mode:
    details: Checks the file and reads the group's files; nothing is uploaded.
  diff_mode:
    details: Shows the group's files with this name and type, before and after.
options:
  group_id:
    description:
      - The document group to upload to. V(0) is the account's main group.
      - See M(zadarma.telephony.zadarma_document_group) to create a group.
    type: int
    default: 0
  document_type:
    description:
      - What the document is, as the API names it.
    type: str
    required: true
    choices: [certificate, contract, company_letter, inn_ua, passport, phone_bill, photo_with_doc,
              photo_with_passport, receipt, driver_id_us_ca, driver_id_other]
  path:
    description:
      - The local file to upload, on the host the module runs on. Its base name is the name the file gets in
        the group and the name it is recognised by on later runs.
    type: path
    required: true
  follow_symlinks:
    description:
      - Upload the file a symbolic link at O(path) points to. By default a symbolic link is refused, so that a
        link planted in a shared directory cannot make the run upload another file.
    type: bool
    default: false
  force:
    description:
      - Upload even if a file with the same name and type is already in the group.
      - This is never idempotent; every run uploads another copy.
    type: bool
    default: false
notes:
  - The upload is a POST and is never sent twice by the client. If it fails ambiguously (timeout, dropped
    connection, HTTP 5xx), the error says so; look at the group's files before running again.
seealso:
  - module: zadarma.telephony.zadarma_document_group
'''

EXAMPLES = r'''
- name: Upload a passport scan to the main group
  zadarma.telephony.zadarma_document_file:
    document_type: passport
    path: passport.pdf
  register: passport

- name: Show whether Zadarma has verified it
  ansible.builtin.debug:
    msg: "{{ passport.document.name }} verified: {{ passport.document.verified }}"

- name: Upload a company letter to the same group
  zadarma.telephony.zadarma_document_file:
    group_id: 0
    document_type: company_letter
    path: company_letter.png
'''

RETURN = r'''
document:
  description:
    - The file in the group, as the API lists it after the run. In check mode, the file as it would be uploaded.
    - When several files have this name and type, the last one listed.
  returned: success
  type: dict
  contains:
    name:
      description: File name in the group.
      type: str
      sample: passport.pdf
    type:
      description: Document type.
      type: str
      sample: passport
    verified:
      description: Whether Zadarma has verified the document.
      type: bool
      sample: false
    source:
      description: How the file got there, as the API says (V(null) in check mode when it would be uploaded).
      type: str
      sample: upload
uploaded:
  description: Whether the file was uploaded (in check mode, would be uploaded).
  returned: success
  type: bool
  sample: true
'''

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils._base import ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._documents import (
    UPLOAD_TYPES,
    matching_files,
    read_document,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._values import check_non_negative


def list_files(zm, group_id, name, document_type):
    return matching_files(zm.run(api.group_files, zm.api, group_id, zm.user_id), name, document_type)


def main():
    zm = ZadarmaModule(dict(
        group_id=dict(type='int', default=0),
        document_type=dict(type='str', required=True, choices=list(UPLOAD_TYPES)),
        path=dict(type='path', required=True),
        force=dict(type='bool', default=False),
        follow_symlinks=dict(type='bool', default=False),
    ), user_id=True)
    group_id, document_type = zm.params['group_id'], zm.params['document_type']
    zm.run(check_non_negative, group_id, 'group_id')
    local = zm.run(read_document, zm.params['path'], follow_symlinks=zm.params['follow_symlinks'])

    before = list_files(zm, group_id, local['name'], document_type)
    after = before
    if zm.params['force'] or not before:
        # A POST: never sent twice after an ambiguous failure (see the client).
        write = api.upload_write(group_id, document_type, zm.user_id,
                                 (local['name'], local['content'], local['content_type']),
                                 'upload %s as %s to document group %d' % (local['name'], document_type, group_id),
                                 len(before))
        response = zm.apply([write])[0]
        name = (response or {}).get('doc_name') or local['name']
        predicted = dict(name=name, type=document_type, verified=False, source=None)
        after = before + [predicted] if response is None else list_files(zm, group_id, name, document_type) or [predicted]
    zm.exit(before=dict(files=before), after=dict(files=after), document=after[-1], uploaded=zm.result['changed'])


if __name__ == '__main__':
    main()
