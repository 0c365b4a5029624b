"""Run a command against a fresh Zadarma API simulator.

Usage: python3 scripts/with_simulator.py [--latency-ms MS ...simulator flags --] CMD [ARGS...]

Starts the simulator (tests/simulator/zadarma_sim) on a free loopback port, waits until it
answers, exports ZADARMA_API_URL, ZADARMA_API_KEY, ZADARMA_API_SECRET and ZADARMA_SIM_URL,
runs CMD, stops the simulator whatever CMD's exit code, and exits with CMD's code.
Simulator flags may be given before a `--` separator.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "simulator"))

from zadarma_sim.process import SimulatorError, SimulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if argv else 2
    sim_args = []
    if "--" in argv:
        split = argv.index("--")
        sim_args, argv = argv[:split], argv[split + 1:]
        if not argv:
            print("with_simulator: no command given after --", file=sys.stderr)
            return 2

    simulator = SimulatorProcess(extra_args=sim_args)
    try:
        simulator.start()
    except SimulatorError as exc:
        print("with_simulator: %s" % exc, file=sys.stderr)
        simulator.cleanup()
        return 1

    env = dict(os.environ)
    env.update(simulator.environment())
    print("with_simulator: simulator at %s (pid %d)" % (simulator.url, simulator.process.pid), file=sys.stderr)
    try:
        # Let CMD receive Ctrl-C itself; we only make sure the simulator goes away afterwards.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            code = subprocess.call(argv, env=env)
        finally:
            signal.signal(signal.SIGINT, previous)
    except OSError as exc:
        print("with_simulator: cannot run %s: %s" % (argv[0], exc), file=sys.stderr)
        code = 127
    finally:
        simulator.cleanup()
    if code < 0:  # killed by a signal
        code = 128 - code
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
