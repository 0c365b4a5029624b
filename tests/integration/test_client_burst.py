"""The signed client against the simulator at its default limit (100 requests per 60 s).

150 calls from three clients at once: none fails, the simulator's log shows the 429s they absorbed, and the
whole burst takes about one rate window (it must wait for the second window, and should not wait for more).
"""

from __future__ import annotations

import importlib
import sys
import threading
import time

from conftest import COLLECTIONS_PATH

CALLS, CLIENTS, WINDOW = 150, 3, 60


def client_module():
    if COLLECTIONS_PATH not in sys.path:
        sys.path.insert(0, COLLECTIONS_PATH)
    return importlib.import_module("ansible_collections.zadarma.telephony.plugins.module_utils._client")


def test_a_burst_of_150_calls_at_the_default_limit(simulator):
    client = client_module()
    errors, done = [], []

    def burst():
        api = client.ZadarmaClient(simulator.api_key, simulator.api_secret, simulator.url, timeout=10)
        for _call in range(CALLS // CLIENTS):
            try:
                done.append(api.request("GET", "info/balance"))
            except client.ZadarmaError as error:
                errors.append(str(error))

    started = time.monotonic()
    threads = [threading.Thread(target=burst) for _thread in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    log = simulator.log()
    assert errors == [] and len(done) == CALLS
    assert len([e for e in log if e["status"] == 200]) == CALLS
    assert any(e["status"] == 429 for e in log), "no 429 was absorbed: the burst never hit the limit"
    # One full window must pass before the last 50 calls; waiting much longer would mean a wrong reset or backoff.
    assert WINDOW - 2 <= elapsed <= WINDOW + 20, elapsed
