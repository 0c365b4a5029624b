# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One lock per account on this controller, held around the paid writes of a run.

``fcntl.flock`` on a file in a per-user directory of the temp dir, named by a hash of the API URL and key (never
the key itself). The kernel releases the lock when the holder exits or is killed, so a crashed run leaves no
stale lock; the file itself stays and is reused. Runs on other machines (separate AWX execution nodes) share
no lock. No Ansible imports.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile

try:
    import fcntl
except ImportError:  # not POSIX: no lock, as before
    fcntl = None


def lock_path(api_url, api_key):
    digest = hashlib.sha256(('%s\n%s' % (api_url, api_key)).encode('utf-8')).hexdigest()[:32]
    folder = os.path.join(tempfile.gettempdir(), 'zadarma-telephony-%d' % os.getuid())
    os.makedirs(folder, mode=0o700, exist_ok=True)
    status = os.lstat(folder)
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise OSError('the lock directory %s is not a private directory of this user' % folder)
    return os.path.join(folder, 'account-%s.lock' % digest)


@contextlib.contextmanager
def account_lock(api_url, api_key):
    """Wait for, then hold, the account's lock until the block ends."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(lock_path(api_url, api_key), os.O_RDWR | os.O_CREAT | getattr(os, 'O_NOFOLLOW', 0), 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
