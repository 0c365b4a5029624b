"""Run the ansible-core matrix of tests/matrix.txt: one venv per line, then every leg of every line.

Usage: python3 scripts/matrix.py [--jobs N] [--only LINE ...]   (`make matrix` runs it; `make test` too)

For each line it builds .venvs/<line> with the controller Python the line names, that exact ansible-core and
tests/requirements.txt (rebuilt only when one of those changes), writes ansible-test's offline get-pip
stand-in for the pip that line's ansible-test pins, and runs each leg as `make <leg> VENV=.venvs/<line>`
on the line's own staged copy (build/lines/<line>/), so that lines can run side by side.

Venvs are built concurrently (network-bound) and a line's legs start when its venv is ready; the legs of
--jobs lines run at once (default 2: one per core). Each leg's output is kept in
build/lines/<line>/<leg>.log and printed when the leg ends. A line whose Python cannot be found is SKIPPED,
with the reason and the command that provides it; the run still fails then, since the matrix was not
proven. The end prints a table of every leg, its result and time.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATRIX_FILE = os.path.join(ROOT, "tests", "matrix.txt")
TEST_REQUIREMENTS = os.path.join(ROOT, "tests/requirements.txt")
VENVS = os.path.join(ROOT, ".venvs")
LINES_BUILD = os.path.join(ROOT, "build", "lines")

print_lock = threading.Lock()


def say(text):
    with print_lock:
        print(text, flush=True)


class Line:
    def __init__(self, name, core, python, legs):
        self.name, self.core, self.python, self.legs = name, core, python, legs
        self.venv = os.path.join(VENVS, name)
        self.interpreter = None  # the real pythonX.Y found for it
        self.problem = None  # why it cannot run (SKIPPED), or why its venv failed (FAILED)
        self.problem_status = None
        self.setup_seconds = 0.0


def read_matrix():
    lines = []
    with open(MATRIX_FILE, encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            fields = text.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) < 4:
                raise SystemExit("%s:%d: expected 'line ansible-core python legs...'" % (MATRIX_FILE, number))
            lines.append(Line(fields[0], fields[1], fields[2], fields[3:]))
    return lines


def runs(python):
    try:
        return subprocess.run([python, "-c", "import venv, ensurepip"], capture_output=True, timeout=60, check=False).returncode == 0
    except OSError:
        return False


def find_python(version):
    """A working pythonX.Y: from PATH first (a pyenv shim without PYENV_VERSION fails and is passed over), then
    from pyenv's installed versions (newest patch). Returns (path, None) or (None, how to get it)."""
    name = "python%s" % version
    on_path = shutil.which(name)
    if on_path and runs(on_path):
        return os.path.realpath(on_path), None
    pyenv = shutil.which("pyenv")
    if pyenv:
        listed = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True, check=False).stdout.split()
        candidates = [v for v in listed if v.startswith(version + ".") and v[len(version) + 1:].isdigit()]
        for candidate in sorted(candidates, key=lambda v: int(v.rsplit(".", 1)[1]), reverse=True):
            prefix = subprocess.run([pyenv, "prefix", candidate], capture_output=True, text=True, check=False).stdout.strip()
            path = os.path.join(prefix, "bin", name)
            if prefix and runs(path):
                return path, None
        return None, "%s is neither on PATH nor a pyenv version; get it with: pyenv install %s" % (name, version)
    return None, "%s is not on PATH and pyenv is not installed; get it with: apt-get install %s-venv " \
                 "(where the distribution has it) or pyenv install %s" % (name, name, version)


def venv_fingerprint(line):
    digest = hashlib.sha256()
    for part in (line.core, line.interpreter):
        digest.update(part.encode() + b"\0")
    with open(TEST_REQUIREMENTS, "rb") as handle:
        digest.update(handle.read())
    return digest.hexdigest()


def build_venv(line):
    """Create or refresh .venvs/<line>; write the get-pip stand-in for its ansible-test."""
    started = time.monotonic()
    stamp = os.path.join(line.venv, ".installed")
    fingerprint = venv_fingerprint(line)
    python = os.path.join(line.venv, "bin", "python")
    log = []
    try:
        current = open(stamp, encoding="utf-8").read() if os.path.exists(stamp) else None
        if current != fingerprint:
            shutil.rmtree(line.venv, ignore_errors=True)
            for command in (  # the pip that ensurepip brings is recent enough: no upgrade step
                [line.interpreter, "-m", "venv", line.venv],
                [python, "-m", "pip", "install", "--quiet", "ansible-core==%s" % line.core, "-r", TEST_REQUIREMENTS],
            ):
                done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
                log.append(done.stdout + done.stderr)
                if done.returncode:
                    raise RuntimeError("%s exited %d" % (" ".join(command), done.returncode))
            with open(stamp, "w", encoding="utf-8") as handle:
                handle.write(fingerprint)
        done = subprocess.run([python, os.path.join(ROOT, "scripts", "ansible_test_cache.py")],
                              capture_output=True, text=True, check=False)
        log.append(done.stdout + done.stderr)
        if done.returncode:
            raise RuntimeError("scripts/ansible_test_cache.py exited %d" % done.returncode)
    except RuntimeError as error:
        line.problem, line.problem_status = "venv: %s\n%s" % (error, "".join(log)[-3000:]), "FAILED"
    line.setup_seconds = time.monotonic() - started
    state = line.problem_status or "ready"
    say("matrix: venv %s (ansible-core %s, python %s) %s in %.0f s" % (
        line.name, line.core, line.python, state, line.setup_seconds))


def run_leg(line, leg, make):
    os.makedirs(os.path.join(LINES_BUILD, line.name), exist_ok=True)
    log_path = os.path.join(LINES_BUILD, line.name, "%s.log" % leg)
    command = [make, "--no-print-directory", leg, "VENV=.venvs/%s" % line.name, "LINE=%s" % line.name,
               "COLLECTIONS=%s" % os.path.join(LINES_BUILD, line.name, "collections")]
    say("matrix: start %s on %s: %s" % (leg, line.name, " ".join(command)))
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        returncode = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, check=False).returncode
    seconds = time.monotonic() - started
    status = "passed" if returncode == 0 else "FAILED"
    with open(log_path, encoding="utf-8", errors="replace") as log:
        output = log.read()
    say("===== %s on ansible-core %s (python %s): %s in %.0f s =====\n%s===== end of %s on %s (%s) =====" % (
        leg, line.core, line.python, status, seconds, output, leg, line.name, log_path))
    return status, seconds


def run_line(line, make):
    results = []
    for leg in line.legs:
        if line.problem:
            results.append((line, leg, line.problem_status, 0.0))
            continue
        status, seconds = run_leg(line, leg, make)
        results.append((line, leg, status, seconds))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MATRIX_JOBS", "2")),
                        help="lines whose legs run at once (default: $MATRIX_JOBS or 2)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these lines (e.g. 2.15 2.21)")
    options = parser.parse_args()
    make = os.environ.get("MAKE", "make")

    started = time.monotonic()
    lines = [line for line in read_matrix() if options.only is None or line.name in options.only]
    for line in lines:
        line.interpreter, missing = find_python(line.python)
        if missing:
            line.problem, line.problem_status = missing, "SKIPPED"
            say("matrix: SKIPPED line %s (%s): %s" % (line.name, " ".join(line.legs), missing))

    # Venvs build concurrently (network-bound); a line's legs start as soon as its venv is ready. Lines with
    # the most legs start first (they are the longest), so that the short ones fill the gaps.
    ready = [line for line in lines if not line.problem]
    by_length = sorted(lines, key=lambda line: len(line.legs), reverse=True)
    venv_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    venvs = {line: venv_pool.submit(build_venv, line) for line in by_length if not line.problem}

    def venv_then_legs(line):
        if line in venvs:
            venvs[line].result()
            if line.problem:
                say("matrix: FAILED to build the venv of %s: %s" % (line.name, line.problem))
        return run_line(line, make)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        per_line = dict(zip(by_length, pool.map(venv_then_legs, by_length)))
    venv_pool.shutdown()
    results = [result for line in lines for result in per_line[line]]

    total = time.monotonic() - started
    say("\nmatrix summary (%s)" % os.path.relpath(MATRIX_FILE, ROOT))
    say("%-6s %-13s %-7s %-12s %-8s %8s" % ("line", "ansible-core", "python", "leg", "result", "seconds"))
    for line, leg, status, seconds in results:
        say("%-6s %-13s %-7s %-12s %-8s %8.0f" % (line.name, line.core, line.python, leg, status, seconds))
    setups = ", ".join("%s %.0f s" % (line.name, line.setup_seconds) for line in ready)
    say("venv set-up (concurrent with the legs): %s" % setups)
    say("matrix wall time: %.0f s (%.1f min), %d lines, %d legs at most at once" % (
        total, total / 60, len(lines), options.jobs))
    for line in lines:
        if line.problem_status == "SKIPPED":
            say("SKIPPED %s: %s" % (line.name, line.problem))
    bad = [r for r in results if r[2] != "passed"]
    if bad:
        say("matrix: %d of %d legs did not pass" % (len(bad), len(results)))
        return 1
    say("matrix: all %d legs passed" % len(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
