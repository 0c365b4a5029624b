"""Integration test driver: a fresh simulator per test, and ansible-playbook against the staged collection.

Runs with plain pytest from the project's .venv (`make integration`), after `make stage` has copied the
collection to build/collections/ansible_collections/zadarma/telephony (override the collections path with
ZADARMA_COLLECTIONS_PATH).
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS_DIR = os.path.join(REPO_ROOT, "tests", "integration", "targets")
COLLECTIONS_PATH = os.environ.get("ZADARMA_COLLECTIONS_PATH") or os.path.join(REPO_ROOT, "build", "collections")
STAGED_COLLECTION = os.path.join(COLLECTIONS_PATH, "ansible_collections", "zadarma", "telephony")
# Tools (ansible-playbook) come from the venv that runs pytest.
VENV_BIN = os.path.dirname(sys.executable)
PLAYBOOK_TIMEOUT = int(os.environ.get("ZADARMA_PLAYBOOK_TIMEOUT", "900"))

sys.path.insert(0, os.path.join(REPO_ROOT, "tests", "simulator"))
from zadarma_sim.process import SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position
from zadarma_sim.signing import signature as zadarma_signature  # noqa: E402  pylint: disable=wrong-import-position


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "simulator_args(*args): extra command-line flags for the simulator of this test, "
        "e.g. @pytest.mark.simulator_args('--rate-limit', '5')",
    )


# ---------------------------------------------------------------------------------------------------------
# The simulator


class Simulator:
    """A running simulator: its URL and credentials, and helpers for the control API (/_sim/...)."""

    def __init__(self, process: SimulatorProcess):
        self.process = process
        self.url = process.url
        self.api_key = process.api_key
        self.api_secret = process.api_secret
        # ansible-playbook outputs produced against this simulator (checked for secrets at teardown).
        self.outputs = []

    def __repr__(self):
        return "Simulator(url=%r)" % self.url

    @property
    def env(self):
        """ZADARMA_API_URL, ZADARMA_API_KEY, ZADARMA_API_SECRET and ZADARMA_SIM_URL for this simulator."""
        return self.process.environment()

    def _call(self, method, path, body=None):
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        with urllib.request.build_opener().open(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text.strip() else None

    def log(self, since=None):
        """The API requests the simulator saw: a list of {seq, time, http_method, path, params, status, write, user_id}."""
        path = "/_sim/log" if since is None else "/_sim/log?since=%d" % int(since)
        return self._call("GET", path)["requests"]

    def writes(self, since=None):
        """The logged requests that were writes (POST/PUT API methods)."""
        return [entry for entry in self.log(since) if entry.get("write")]

    def reset(self):
        return self._call("POST", "/_sim/reset", {})

    def config(self, **settings):
        """rate_limit, rate_window, latency_ms, auto_verify."""
        return self._call("POST", "/_sim/config", settings)

    def fault(self, **fault):
        """path, kind (status, delay, malformed, drop_after_commit, rate_limit), count, ..."""
        return self._call("POST", "/_sim/faults", fault)

    def clear_faults(self):
        return self._call("DELETE", "/_sim/faults")

    def state(self):
        return self._call("GET", "/_sim/state")

    def set_state(self, **changes):
        """balance, add_numbers, user_id, ..."""
        return self._call("POST", "/_sim/state", changes)

    def server_log(self):
        """What the simulator process printed (for debugging failures)."""
        return self.process.read_log()


@pytest.fixture
def simulator(request):
    """A fresh simulator subprocess on a free port, stopped after the test."""
    marker = request.node.get_closest_marker("simulator_args")
    process = SimulatorProcess(extra_args=list(marker.args) if marker else None)
    try:
        process.start()
        sim = Simulator(process)
        yield sim
        # Check the outputs while the simulator still runs, so its log gives the exact signatures.
        _check_outputs(sim.outputs)
    finally:
        process.cleanup()


# ---------------------------------------------------------------------------------------------------------
# Secrets must never reach the output

_SIGNATURE_SHAPE = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{54}==")
_outputs_of_this_test: list = []  # [output, simulator, checked]


def _looks_like_signature(token):
    try:
        decoded = base64.b64decode(token, validate=True).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(re.fullmatch(r"[0-9a-f]{40}", decoded))


def assert_no_secrets(output, simulator):
    """Fail if the API secret, an Authorization header value or a request signature appears in output."""
    problems = []
    if simulator.api_secret and simulator.api_secret in output:
        problems.append("the API secret")
    if re.search(re.escape(simulator.api_key) + r"\s*:\s*[A-Za-z0-9+/]{8,}", output):
        problems.append("an Authorization header value (%s:<signature>)" % simulator.api_key)
    if re.search(r"authorization['\"]?\s*[:=]\s*['\"]?[^\s'\",:]+:[A-Za-z0-9+/=]{8,}", output, re.IGNORECASE):
        problems.append("an Authorization header")
    signatures = set()
    try:
        for entry in simulator.log():
            signatures.add(zadarma_signature(entry.get("path", ""), entry.get("params") or {}, simulator.api_secret))
    except OSError:
        pass  # the simulator is gone; the shape check below still applies
    if any(sig in output for sig in signatures):
        problems.append("a request signature computed for the logged requests")
    elif any(_looks_like_signature(tok) for tok in _SIGNATURE_SHAPE.findall(output)):
        problems.append("a 56-character base64 signature")
    assert not problems, "secrets leaked into the output: " + "; ".join(problems)


def _check_outputs(records):
    for record in records:
        if not record[2]:
            record[2] = True
            assert_no_secrets(record[0], record[1])


@pytest.fixture(autouse=True)
def _no_secrets_in_playbook_output():
    """After every test, check every ansible-playbook output that run_playbook() produced in it.

    The simulator fixture checks its own outputs first, while it still answers; this catches the rest.
    """
    del _outputs_of_this_test[:]
    yield
    try:
        _check_outputs(_outputs_of_this_test)
    finally:
        del _outputs_of_this_test[:]


# ---------------------------------------------------------------------------------------------------------
# Running playbooks


def _inventory_file(directory, inventory):
    """Write an inventory: localhost over the local connection with this venv's python, unless given."""
    if isinstance(inventory, (str, os.PathLike)):
        return os.fspath(inventory)
    if inventory is None:
        inventory = {"all": {"hosts": {"localhost": {}}}}
    inventory = json.loads(json.dumps(inventory))  # a copy
    group_vars = inventory.setdefault("all", {}).setdefault("vars", {})
    group_vars.setdefault("ansible_connection", "local")
    # An explicitly named localhost would otherwise get the discovered (here: broken) python3.13.
    group_vars.setdefault("ansible_python_interpreter", sys.executable)
    path = os.path.join(directory, "inventory.yml")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle, indent=2)  # JSON is YAML
    return path


class PlaybookRun:
    """One ansible-playbook process started by start_playbook(); wait() returns (rc, output)."""

    def __init__(self, process, simulator, timeout):
        self.process = process
        self.simulator = simulator
        self.timeout = timeout
        self.pid = process.pid

    def wait(self):
        """Wait for the end (killing it after the timeout); the output is checked for secrets after the test."""
        try:
            output = self.process.communicate(timeout=self.timeout)[0]
            rc = self.process.returncode
        except subprocess.TimeoutExpired:
            self.process.kill()
            output = self.process.communicate()[0] + b"\n[timed out after %d s]" % self.timeout
            rc = -1
        output = output.decode("utf-8", errors="replace")
        record = [output, self.simulator, False]
        _outputs_of_this_test.append(record)
        if isinstance(getattr(self.simulator, "outputs", None), list):
            self.simulator.outputs.append(record)
        return rc, output


def start_playbook(playbook_path, simulator, inventory=None, extra_vars=None, check=False, diff=False,
                   verbosity=4, forks=None, env=None, limit=None, timeout=PLAYBOOK_TIMEOUT):
    """Start ansible-playbook from the venv against the staged collection and the simulator; see run_playbook()."""
    if not os.path.isdir(STAGED_COLLECTION):
        pytest.fail("the staged collection is missing (%s): run `make stage` first" % STAGED_COLLECTION)
    workdir = tempfile.mkdtemp(prefix="zadarma-playbook-")
    variables = {"zadarma_sim_url": simulator.url}
    variables.update(extra_vars or {})
    vars_path = os.path.join(workdir, "extra_vars.json")
    with open(vars_path, "w", encoding="utf-8") as handle:
        json.dump(variables, handle)

    command = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", _inventory_file(workdir, inventory),
               "-e", "@" + vars_path]
    if verbosity:
        command.append("-" + "v" * verbosity)
    if check:
        command.append("--check")
    if diff:
        command.append("--diff")
    if forks:
        command += ["--forks", str(forks)]
    if limit:
        command += ["--limit", limit]
    command.append(os.path.abspath(os.fspath(playbook_path)))

    run_env = dict(os.environ)
    for name in list(run_env):
        if name.startswith("ANSIBLE_") or name.startswith("ZADARMA_"):
            del run_env[name]
    run_env.update({
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_ROLES_PATH": TARGETS_DIR,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "tmp"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "PAGER": "cat",
    })
    run_env.update(simulator.env)
    run_env.update(env or {})
    # A session of its own: a test can kill the controller with its forks and modules (os.killpg).
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        command, cwd=workdir, env=run_env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    return PlaybookRun(process, simulator, timeout)


def run_playbook(playbook_path, simulator, **options):
    """Run ansible-playbook from the venv against the staged collection and the simulator.

    Options: inventory, extra_vars, check, diff, verbosity (default 4), forks, env, limit, timeout.
    Returns (rc, output) with stdout and stderr combined. The output is also checked for secrets
    after the test (see _no_secrets_in_playbook_output).
    """
    return start_playbook(playbook_path, simulator, **options).wait()


def output_tail(output, lines=150):
    """The last lines of an output, for assertion messages."""
    return "\n".join(output.splitlines()[-lines:])
