"""The playbooks run the way AWX runs a job: through ansible-runner, in a private data directory.

The private data directory is laid out as AWX lays it out for a job: the project (the playbooks) under
project/, the inventory under inventory/, the collection installed from its built tarball on the job's
collections path (requirements_collections/, first on ANSIBLE_COLLECTIONS_PATH), and the environment
rendered from extensions/awx/credential_type.yml's injectors with a Jinja sandbox, as AWX renders a custom
credential (field defaults applied, inputs pointing at the simulator). Like AWX, the environment is given
to ansible-runner in memory with suppress_env_files, and the job's events and stdout are what the runner
leaves under artifacts/: nothing there, nor anywhere in the directory, may hold the API secret, a request
signature, an Authorization header, an identity document number or a date of birth.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import REPO_ROOT, STAGED_COLLECTION, VENV_BIN, assert_no_secrets

CREDENTIAL_TYPE = os.path.join(REPO_ROOT, "extensions", "awx", "credential_type.yml")
EXAMPLES = os.path.join(REPO_ROOT, "examples")


def credential_env(inputs):
    """The environment AWX injects for a credential of the Zadarma type with these inputs."""
    with open(CREDENTIAL_TYPE, encoding="utf-8") as handle:
        credential_type = yaml.safe_load(handle)
    namespace = {field["id"]: field["default"] for field in credential_type["inputs"]["fields"] if "default" in field}
    namespace.update(inputs)
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**namespace)
            for name, template in credential_type["injectors"]["env"].items()}


def personal_data():
    """The identity document numbers and dates of birth the example inventory holds."""
    values = set()
    for path in glob.glob(os.path.join(EXAMPLES, "*_vars", "*.yml")):
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        for key in ("id_number", "date_of_birth"):
            values.update(line.split(":", 1)[1].strip().strip("'\"") for line in text.splitlines()
                          if line.strip().startswith(key + ":"))
    return values


@pytest.fixture
def private_data_dir(tmp_path):
    """An AWX job's private data directory with the project, the inventory and the installed collection."""
    pdd = tmp_path / "awx_job"
    shutil.copytree(os.path.join(REPO_ROOT, "playbooks"), pdd / "project" / "playbooks")
    shutil.copytree(EXAMPLES, pdd / "inventory")
    os.rename(pdd / "inventory" / "inventory.yml", pdd / "inventory" / "hosts.yml")
    galaxy = os.path.join(VENV_BIN, "ansible-galaxy")
    built = subprocess.run([galaxy, "collection", "build", STAGED_COLLECTION, "--output-path", str(tmp_path)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    tarball = glob.glob(str(tmp_path / "zadarma-telephony-*.tar.gz"))[0]
    installed = subprocess.run([galaxy, "collection", "install", tarball, "-p", str(pdd / "requirements_collections")],
                               capture_output=True, text=True, timeout=300, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return pdd


def run_job(pdd, playbook, simulator, job_id):
    env = credential_env({"api_key": simulator.api_key, "api_secret": simulator.api_secret,
                          "api_url": simulator.url})
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": "%s:~/.ansible/collections:/usr/share/ansible/collections"
                                    % (pdd / "requirements_collections"),
        "PATH": VENV_BIN + os.pathsep + os.environ["PATH"],  # ansible-playbook of this line's venv
        "JOB_ID": str(job_id),
    })
    return ansible_runner.run(
        private_data_dir=str(pdd), project_dir=str(pdd / "project"), playbook="playbooks/%s.yml" % playbook,
        inventory=str(pdd / "inventory" / "hosts.yml"), envvars=env, ident=str(job_id), suppress_env_files=True,
        quiet=True, timeout=900)


def assert_no_secret_in(pdd, simulator):
    """Nothing the jobs left (artifacts/: events, stdout, status; env/) holds a secret or personal data.

    ansible-runner always records the environment it was given in artifacts/<job>/command (mode 0600): the
    credential's injected ZADARMA_API_SECRET is left out of that one record, and must appear nowhere else.
    """
    forbidden = personal_data()
    assert len(forbidden) >= 2  # the example inventory's document group holds both kinds
    left = sorted(p for folder in ("artifacts", "env") for p in (pdd / folder).rglob("*") if p.is_file())
    assert any(p.name == "stdout" for p in left) and any(p.parent.name == "job_events" for p in left)
    for path in left:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.name == "command":
            record = json.loads(text)
            assert record["env"].pop("ZADARMA_API_SECRET") == simulator.api_secret
            text = json.dumps(record)
        leaked = [value for value in forbidden if value in text]
        assert not leaked, "%s holds personal data: %s" % (path.relative_to(pdd), leaked)
        assert_no_secrets(text, simulator)


def summary(runner):
    return "%s rc=%s stats=%s\n%s" % (runner.status, runner.rc, runner.stats, runner.stdout.read()[-6000:])


def test_awx_jobs_order_and_route_then_change_nothing(private_data_dir, simulator):
    pdd = private_data_dir
    for number, playbook in enumerate(("order_number", "route_numbers")):
        first = run_job(pdd, playbook, simulator, 2 * number + 1)
        assert first.status == "successful" and first.rc == 0, summary(first)
        writes = len(simulator.writes())
        second = run_job(pdd, playbook, simulator, 2 * number + 2)
        assert second.status == "successful" and second.rc == 0, summary(second)
        assert sum(second.stats["changed"].values()) == 0, summary(second)
        assert len(simulator.writes()) == writes, "the second %s job wrote to the API" % playbook
        assert any(event.get("event") == "playbook_on_stats" for event in second.events)
    assert any("/order" in entry["path"] for entry in simulator.writes()), "the order job bought nothing"
    assert os.listdir(pdd / "artifacts")
    assert_no_secret_in(pdd, simulator)
