# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the tests of the event source share: the source loaded by path (as ansible-rulebook loads it), a
queue that keeps the events in a list, and the exception a scripted sleep raises to end the watch.

Used by tests/unit/extensions/eda (scripted HTTP) and tests/integration/test_number_events.py (the simulator).
"""

from __future__ import annotations

import importlib.util
import os

COLLECTION_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..')
SOURCE = os.path.join(COLLECTION_ROOT, 'extensions', 'eda', 'plugins', 'event_source', 'number_events.py')


def load_source(name='number_events'):
    spec = importlib.util.spec_from_file_location(name, SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ListQueue(object):
    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


class Stop(Exception):
    """Raised by a scripted sleep once its polls are done."""
