"""Write the offline get-pip stand-in that ansible-test's venv bootstrap looks for.

Every virtual environment that `ansible-test sanity --venv` / `units --venv` builds is
bootstrapped by a get-pip script that ansible-test downloads from a CI host that is not
reachable here. ansible-test first looks for a cached copy at
~/.ansible/test/cache/get_pip_<version with _>.py; this writes a stand-in there that runs
`python -m ensurepip` and then `python -m pip install <its arguments>` (minus the
--no-setuptools/--no-wheel flags that only get-pip knows), so the pinned pip and the sanity
packages come from the package index like everything else.

The pip version is read from the installed ansible-test (python_requirements.py), not
hard-coded. Run it with the python of the venv that holds ansible-core.
"""

from __future__ import annotations

import os
import re
import sys

STAND_IN = '''\
"""Offline stand-in for get-pip.py, written by zadarma.telephony's scripts/ansible_test_cache.py."""
import subprocess
import sys

DROP = {"--no-setuptools", "--no-wheel"}


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
    args = [a for a in sys.argv[1:] if a not in DROP]
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
'''


def pip_versions() -> set[str]:
    import ansible_test  # the ansible-test that `make` will run

    path = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    versions = set(re.findall(r"""\bpip\s*=\s*['"]([0-9][0-9A-Za-z.]*)['"]""", text))
    if not versions:
        raise SystemExit(f"could not find the pip version that ansible-test pins in {path}")
    return versions


def main() -> int:
    cache = os.path.expanduser(os.path.join("~", ".ansible", "test", "cache"))
    os.makedirs(cache, exist_ok=True)
    for version in sorted(pip_versions()):
        target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
        current = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as handle:
                current = handle.read()
        if current != STAND_IN:
            tmp = target + ".tmp"
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(STAND_IN)
            os.replace(tmp, target)
            print(f"wrote get-pip stand-in for pip {version}: {target}")
        else:
            print(f"get-pip stand-in for pip {version} is up to date: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
