#!/usr/bin/env bash
# Run CMD against a fresh Zadarma API simulator: see scripts/with_simulator.py.
# Usage: scripts/with_simulator.sh [simulator flags --] CMD [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-}
if [ -z "$python" ]; then
  if [ -x "$here/../.venv/bin/python" ]; then python="$here/../.venv/bin/python"; else python=python3; fi
fi
exec "$python" "$here/with_simulator.py" "$@"
