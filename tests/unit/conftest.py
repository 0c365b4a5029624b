# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make ``ansible_collections.zadarma.telephony`` importable when plain pytest runs from the repo root.

Under ``ansible-test units`` the collection already sits at ``.../ansible_collections/zadarma/telephony``
and the import works, so nothing is done. Otherwise a symlink tree
``<tmp>/ansible_collections/zadarma/telephony -> <repo root>`` is built and ``<tmp>`` is put first on
``sys.path``; it is removed when the interpreter exits.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import sys
import tempfile

COLLECTION = 'ansible_collections.zadarma.telephony'
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _importable():
    try:
        importlib.import_module(COLLECTION + '.plugins.module_utils')
        return True
    except ImportError:
        return False


def _forget_partial_imports():
    # A failed attempt may have left 'ansible_collections' (a namespace package) cached with a stale path.
    for name in list(sys.modules):
        if name == 'ansible_collections' or name.startswith('ansible_collections.'):
            del sys.modules[name]


def _link_collection():
    tmp = tempfile.mkdtemp(prefix='zadarma-telephony-units-')
    namespace = os.path.join(tmp, 'ansible_collections', 'zadarma')
    os.makedirs(namespace)
    os.symlink(REPO_ROOT, os.path.join(namespace, 'telephony'))
    # rmtree removes the symlink itself and never follows it into the repo.
    atexit.register(shutil.rmtree, tmp, True)
    sys.path.insert(0, tmp)
    _forget_partial_imports()
    importlib.invalidate_caches()


if not _importable():
    _link_collection()
    if not _importable():  # pragma: no cover - a broken checkout
        raise ImportError('could not make %s importable from %s' % (COLLECTION, REPO_ROOT))
