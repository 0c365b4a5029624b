# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start and stop the simulator as a subprocess on a free loopback port.

Used by the integration tests, the chaos soak, scripts/demo.py, scripts/with_simulator.py and the
benchmarks (with tests/simulator on sys.path: ``from zadarma_sim.process import SimulatorProcess``). Stdlib only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SIMULATOR_PATH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(SIMULATOR_PATH))

# The simulator's defaults (docs/development.md).
DEFAULT_API_KEY = "sim-key-0123456789"
DEFAULT_API_SECRET = "sim-secret-never-printed-4f9a"
DEFAULT_HOST = "127.0.0.1"


class SimulatorError(RuntimeError):
    """The simulator did not start or did not answer."""


class SimulatorProcess:
    """One simulator subprocess on a free loopback port.

    Use as a context manager, or call start() and stop().
    """

    def __init__(self, api_key=DEFAULT_API_KEY, api_secret=DEFAULT_API_SECRET, host=DEFAULT_HOST,
                 extra_args=None, python=None, startup_timeout=30.0):
        self.api_key = api_key
        self.api_secret = api_secret
        self.host = host
        self.extra_args = list(extra_args or [])
        self.python = python or sys.executable
        self.startup_timeout = startup_timeout
        self.port = None
        self.process = None
        self._workdir = None
        self.log_path = None

    @property
    def url(self):
        """Base URL of the simulator, e.g. http://127.0.0.1:40123 (the API is under /v1/)."""
        if self.port is None:
            raise SimulatorError("the simulator is not running")
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "http://%s:%d" % (host, self.port)

    def environment(self):
        """Variables that point the collection's modules and the tests at this simulator."""
        return {
            "ZADARMA_API_URL": self.url,
            "ZADARMA_API_KEY": self.api_key,
            "ZADARMA_API_SECRET": self.api_secret,
            "ZADARMA_SIM_URL": self.url,
        }

    def start(self):
        if not os.path.isdir(os.path.join(SIMULATOR_PATH, "zadarma_sim")):
            raise SimulatorError("the simulator package is missing: %s" % os.path.join(SIMULATOR_PATH, "zadarma_sim"))
        self._workdir = tempfile.mkdtemp(prefix="zadarma-sim-")
        port_file = os.path.join(self._workdir, "port")
        self.log_path = os.path.join(self._workdir, "simulator.log")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (SIMULATOR_PATH, env.get("PYTHONPATH")) if p)
        env["PYTHONUNBUFFERED"] = "1"
        command = [
            self.python, "-m", "zadarma_sim",
            "--host", self.host, "--port", "0", "--port-file", port_file,
            "--api-key", self.api_key, "--api-secret", self.api_secret,
        ] + self.extra_args
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=REPO_ROOT,
            )
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process.poll() is not None:
                raise SimulatorError("the simulator exited with code %s during start-up:\n%s"
                                     % (self.process.returncode, self.read_log()))
            if self.port is None:
                self.port = self._read_port(port_file)
            if self.port is not None and self._answers():
                return self
            if time.monotonic() > deadline:
                self.stop()
                raise SimulatorError("the simulator did not answer within %.0f s:\n%s"
                                     % (self.startup_timeout, self.read_log()))
            time.sleep(0.05)

    @staticmethod
    def _read_port(port_file):
        try:
            with open(port_file, encoding="ascii") as handle:
                text = handle.read().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def _answers(self):
        try:
            with urllib.request.build_opener().open(self.url + "/_sim/state", timeout=2) as response:
                json.loads(response.read().decode("utf-8"))
                return response.status == 200
        except (OSError, ValueError, urllib.error.URLError):
            return False

    def read_log(self):
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def cleanup(self):
        """Stop the process and remove its temporary directory (port file, log)."""
        self.stop()
        if self._workdir and os.path.isdir(self._workdir):
            for name in os.listdir(self._workdir):
                os.unlink(os.path.join(self._workdir, name))
            os.rmdir(self._workdir)
        self._workdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.cleanup()
