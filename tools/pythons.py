"""Find a CPython interpreter of a given version on this machine.

``python3.13`` on PATH is not enough: a pyenv shim answers for every version pyenv knows
but fails for those not selected. A candidate counts only when it runs and reports the
version asked for. ``python tools/pythons.py 3.13`` prints the path (exit 1 if none).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from functools import cache


def _version_of(python: str) -> str | None:
    try:
        done = subprocess.run(  # noqa: S603 - a candidate interpreter, fixed arguments
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def candidates(version: str) -> list[str]:
    found = [shutil.which(f"python{version}") or ""]
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
    found += [f"/usr/local/bin/python{version}", f"/usr/bin/python{version}"]
    found += sorted(
        glob.glob(
            os.path.expanduser(f"~/.local/share/uv/python/cpython-{version}.*/bin/python{version}")
        )
    )
    return [path for path in dict.fromkeys(found) if path and os.path.exists(path)]


@cache
def find(version: str) -> str | None:
    """The first interpreter that really is Python ``version`` (e.g. ``"3.13"``)."""
    if "{}.{}".format(*sys.version_info[:2]) == version:
        return sys.executable
    for python in candidates(version):
        if _version_of(python) == version:
            return python
    return None


def require(version: str) -> str:
    python = find(version)
    if python is None:
        raise SystemExit(
            f"Python {version} not found (looked on PATH, in pyenv and uv): the Lambda runtime is "
            f"python{version} and the package's bytecode must be compiled by it. Install it "
            f"(e.g. `pyenv install {version}`) and run again."
        )
    return python


if __name__ == "__main__":
    path = find(sys.argv[1])
    print(path or "")
    sys.exit(0 if path else 1)
