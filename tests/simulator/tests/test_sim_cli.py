# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m zadarma_sim`` as other engineers start it: flags, port file, seed, clean stop on signals."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from zadarma_sim import seed


def launch(sim_dir, tmp_path, *args):
    port_file = tmp_path / 'port'
    env = dict(os.environ, PYTHONPATH=sim_dir)
    proc = subprocess.Popen([sys.executable, '-m', 'zadarma_sim', '--port', '0', '--port-file', str(port_file)] + list(args),
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert port_file.read_text().strip().isdigit(), proc.stderr.read()
    return proc, int(port_file.read_text()), line


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_cli_starts_serves_and_stops(sim_dir, make_client, tmp_path, signum):
    custom = seed.default_seed()
    custom['accounts'][0]['balance'] = 7.5
    seed_file = tmp_path / 'seed.json'
    seed_file.write_text(json.dumps(custom))
    proc, port, line = launch(sim_dir, tmp_path, '--api-key', 'k1', '--api-secret', 's1', '--rate-limit', '5', '--seed', str(seed_file))
    try:
        assert line == 'Zadarma simulator listening on http://127.0.0.1:%d\n' % port
        client = make_client('http://127.0.0.1:%d' % port, key='k1', secret='s1')
        response = client.get('/v1/info/balance/')
        assert response.status_code == 200 and response.json()['balance'] == 7.5
        assert response.headers['X-RateLimit-Limit'] == '5'
    finally:
        proc.send_signal(signum)
        assert proc.wait(timeout=10) == 0
    out, err = proc.communicate()
    assert 's1' not in out + err and 'sim-secret' not in out + err


def test_cli_refuses_a_non_loopback_host(sim_dir):
    env = dict(os.environ, PYTHONPATH=sim_dir)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, '-m', 'zadarma_sim', '--host', '0.0.0.0', '--port', '0'], env=env,
                          capture_output=True, text=True, timeout=10, check=False)
    assert proc.returncode == 2 and 'loopback' in proc.stderr
    assert time.monotonic() - started < 10
