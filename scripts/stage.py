"""Copy the collection into an ansible_collections/zadarma/telephony tree.

ansible-test must run from inside .../ansible_collections/<namespace>/<name>/ and a
symlink to the repository does not work, so `make stage` copies the files.

Which files: everything git tracks plus untracked files that are not ignored
(so work in progress is included), i.e. `git ls-files --cached --others
--exclude-standard`, minus tracked files deleted in the work tree. Outside a git
work tree it falls back to walking the directory and skipping well-known junk.
The destination is removed and recreated on every run. Only the stdlib is used
(rsync is not assumed to be installed).

The copy gets an empty git repository of its own (`git init`, nothing committed): ansible-test
lists a collection's files with git from the nearest .git upwards, and without one it would
find the source repository, where build/ is ignored, and skip every target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

# Used only when the source is not a git work tree.
SKIP_DIRS = {
    ".git", ".venv", "build", "__pycache__", ".pytest_cache", ".mypy_cache", ".tox", ".ansible",
}
SKIP_REL_DIRS = {os.path.join("tests", "output"), os.path.join("benchmarks", "results")}
SKIP_SUFFIXES = (".pyc", ".tar.gz")


def git_files(src: str) -> list[str] | None:
    try:
        out = subprocess.run(
            ["git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True, capture_output=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})


def walk_files(src: str) -> list[str]:
    files = []
    for root, dirs, names in os.walk(src):
        rel_root = os.path.relpath(root, src)
        dirs[:] = [
            d for d in dirs
            if d not in SKIP_DIRS and os.path.normpath(os.path.join(rel_root, d)) not in SKIP_REL_DIRS
        ]
        for name in names:
            if not name.endswith(SKIP_SUFFIXES):
                files.append(os.path.normpath(os.path.join(rel_root, name)))
    return sorted(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=".", help="the collection's repository root")
    parser.add_argument("--dest", default="build/collections/ansible_collections/zadarma/telephony")
    parser.add_argument("--no-git-init", action="store_true", help="do not give the copy its own .git")
    args = parser.parse_args()

    src = os.path.abspath(args.src)
    dest = os.path.abspath(args.dest)
    if dest == src or src.startswith(dest + os.sep):
        parser.error("destination must not contain the source")

    files = git_files(src)
    how = "git"
    if files is None:
        files = walk_files(src)
        how = "walk"

    if os.path.lexists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)

    dest_rel = os.path.relpath(dest, src)
    copied = 0
    for rel in files:
        if rel == dest_rel or rel.startswith(dest_rel + os.sep):
            continue
        source = os.path.join(src, rel)
        if not os.path.lexists(source) or os.path.isdir(source):
            # deleted but still tracked, or a submodule / nested repository
            continue
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
        copied += 1

    if not args.no_git_init:
        try:
            subprocess.run(["git", "init", "-q", dest], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"stage: warning: git init failed in {dest}: {exc}", file=sys.stderr)

    print(f"staged {copied} files ({how}) into {os.path.relpath(dest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
