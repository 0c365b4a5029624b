# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A simulator of the Zadarma REST API v1 for the zadarma.telephony tests (standard library only).

Run it: ``PYTHONPATH=tests/simulator python -m zadarma_sim --port 8765``; see docs/development.md.
In process: ``server.start(server.Simulator(seed.default_seed()), port=0)``.
"""

__version__ = '1.0.0'
