# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m zadarma_sim [--host H] [--port P] [--port-file F] ...`` (see --help)."""

import argparse
import ipaddress
import os
import signal
import sys
import threading

from .control import Config
from .seed import default_seed, load_seed
from .server import DEFAULT_API_KEY, DEFAULT_API_SECRET, Simulator, start


def is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='zadarma_sim', description='Zadarma REST API v1 simulator (loopback only).')
    parser.add_argument('--host', default='127.0.0.1', help='loopback address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8765, help='TCP port; 0 picks a free one (default 8765)')
    parser.add_argument('--port-file', help='write the bound port to this file once listening')
    parser.add_argument('--api-key', default=DEFAULT_API_KEY, help='API key accepted (default %(default)s)')
    parser.add_argument('--api-secret', default=DEFAULT_API_SECRET, help='API secret (default: the documented one)')
    parser.add_argument('--rate-limit', type=int, default=100, help='requests per window (default 100)')
    parser.add_argument('--rate-window', type=float, default=60.0, help='window in seconds (default 60)')
    parser.add_argument('--latency-ms', type=float, default=0.0, help='added to every API request (default 0)')
    parser.add_argument('--seed', help='JSON file that replaces the default seed')
    parser.add_argument('--reveal-personal-data', action='store_true',
                        help='show personal values of document groups in /_sim/log and /_sim/state (masked by default)')
    args = parser.parse_args(argv)
    if not is_loopback(args.host):
        parser.error('--host {0}: only loopback addresses are accepted (127.0.0.1, ::1, localhost)'.format(args.host))
    if args.rate_limit < 1 or args.rate_window <= 0 or args.latency_ms < 0:
        parser.error('--rate-limit and --rate-window must be positive, --latency-ms not negative')
    return args


def write_port_file(path, port):
    """Atomically: a reader never sees a half-written file."""
    tmp = '{0}.{1}.tmp'.format(path, os.getpid())
    with open(tmp, 'w', encoding='ascii') as handle:
        handle.write('{0}\n'.format(port))
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        seed = load_seed(args.seed) if args.seed else default_seed()
    except (OSError, ValueError) as exc:
        sys.exit('zadarma_sim: cannot read the seed: {0}'.format(exc))
    config = Config(rate_limit=args.rate_limit, rate_window=args.rate_window, latency_ms=args.latency_ms,
                    reveal_personal_data=args.reveal_personal_data)
    simulator = Simulator(seed, api_key=args.api_key, api_secret=args.api_secret, config=config)
    try:
        server = start(simulator, args.host, args.port)
    except OSError as exc:
        sys.exit('zadarma_sim: cannot listen on {0}:{1}: {2}'.format(args.host, args.port, exc))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    port = server.server_address[1]
    if args.port_file:
        write_port_file(args.port_file, port)
    host = '[{0}]'.format(args.host) if ':' in args.host else args.host
    print('Zadarma simulator listening on http://{0}:{1}'.format(host, port), flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
