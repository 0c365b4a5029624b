# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the account lock: one per account, private, released when its holder is killed."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import textwrap

import pytest

from ansible_collections.zadarma.telephony.plugins.module_utils._lock import account_lock, lock_path


def held_elsewhere(path):
    """Whether another process holds the lock on path (a non-blocking try here fails)."""
    descriptor = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def test_one_private_file_per_account_never_named_by_the_key(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    first = lock_path('https://api.zadarma.com', 'key-one')
    assert first == lock_path('https://api.zadarma.com', 'key-one')
    assert first != lock_path('https://api.zadarma.com', 'key-two')
    assert first != lock_path('http://127.0.0.1:8080', 'key-one')
    assert 'key-one' not in first
    assert os.stat(os.path.dirname(first)).st_mode & 0o777 == 0o700


def test_a_directory_of_another_mode_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    folder = tmp_path / ('zadarma-telephony-%d' % os.getuid())
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with pytest.raises(OSError, match='not a private directory'):
        lock_path('https://api.zadarma.com', 'k')


def test_a_killed_holder_leaves_no_stale_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, 'tempdir', str(tmp_path))
    path = lock_path('https://api.zadarma.com', 'k')
    holder = subprocess.Popen([sys.executable, '-c', textwrap.dedent('''
        import fcntl, os, sys, time
        fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print('held', flush=True)
        time.sleep(60)
        '''), path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'held'
        assert held_elsewhere(path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert not held_elsewhere(path)
    with account_lock('https://api.zadarma.com', 'k'):
        pass
