"""Build the Lambda package of one Zappa stage: ``python3.11 tools/package.py [--stage dev]``.

Zappa zips the virtualenv it runs from, so it gets a clean one: ``build/venv`` holds the
runtime dependencies (``pip install .``, no dev extras) and Zappa. After ``zappa package``
(offline, dummy credentials) the zip is rewritten:

- distributions only Zappa's command line needs (troposphere, pip, setuptools, ...) are
  dropped; the handler needs only the ``zappa`` package itself and ``durationpy``;
- bytecode is compiled for the runtime with unchecked-hash invalidation. Zappa ships pip's
  timestamp-checked ``.pyc`` files, which never match the sources' zip dates, so every cold
  start would recompile every module in memory (``/var/task`` is read-only);
- entries are sorted with fixed dates and modes.

The result is ``build/tiket-<stage>.zip``; its path and size are printed. When the zip is
newer than every input, nothing is rebuilt. Linux x86_64 only: pip picks the compiled wheels
for the machine it runs on, and Lambda runs ``manylinux`` x86_64.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
VENV = BUILD / "venv"
STAMP = VENV / ".tiket-build-stamp"
SETTINGS = ROOT / "zappa_settings.json"
# What Zappa's handler imports at run time besides tiket's own dependencies: the zappa
# package itself and durationpy (zappa.utilities); not their requirements, which serve the
# command line (boto3 and werkzeug, the two the handler uses, are there anyway).
HANDLER_NEEDS = ("zappa", "durationpy")
# ZIP epoch: the zip stays byte-stable for unchanged sources except Zappa's package_info.json.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# World-readable, as Zappa makes them: Lambda runs the code as another user than the owner.
ZIP_MODE = 0o100755 << 16


def stage_settings(stage: str, path: Path = SETTINGS) -> dict:
    """The stage's settings with ``extends`` applied, as Zappa reads them."""
    config = dict(json.loads(path.read_text())[stage])
    if "extends" in config:
        config = {**stage_settings(config["extends"], path), **config}
    return config


def zip_path(stage: str) -> Path:
    return BUILD / f"tiket-{stage}.zip"


def site_packages(venv: Path = VENV) -> Path:
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    return site


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distributions(site: Path) -> dict[str, metadata.Distribution]:
    return {_key(d.metadata["Name"]): d for d in metadata.distributions(path=[str(site)])}


def closure(site: Path, names: Iterable[str]) -> set[str]:
    """Distributions ``names`` need, recursively; extras' requirements are left out and
    other markers kept (keeping too much is the safe side)."""
    installed = distributions(site)
    needed: set[str] = set()
    todo = [_key(n) for n in names]
    while todo:
        name = todo.pop()
        if name in needed or name not in installed:
            continue
        needed.add(name)
        for requirement in installed[name].requires or ():
            spec, _, marker = requirement.partition(";")
            if "extra" not in marker:
                todo.append(_key(re.match(r"[A-Za-z0-9._-]+", spec.strip()).group()))
    return needed


def top_levels(dist: metadata.Distribution) -> set[str]:
    """The names a distribution puts at the top of site-packages (packages, modules,
    its .dist-info, .pth files), from its RECORD."""
    return {f.parts[0] for f in dist.files or () if f.parts and f.parts[0] != ".."}


def tooling_names(site: Path, app: str = "tiket") -> set[str]:
    """Top-level names of every installed distribution the function does not need."""
    keep = closure(site, [app]) | {_key(name) for name in HANDLER_NEEDS}
    kept: set[str] = set()
    dropped: set[str] = set()
    for name, dist in distributions(site).items():
        (kept if name in keep else dropped).update(top_levels(dist))
    return dropped - kept


def runtime_sdk(site: Path, task: Path, folder: Path) -> Path:
    """Stand in for what the Lambda runtime provides outside the zip: boto3 and those of
    its dependencies the package at ``task`` leaves out, linked from ``site``."""
    dists = distributions(site)
    folder.mkdir(parents=True, exist_ok=True)
    for name in closure(site, ["boto3"]):
        for top in top_levels(dists[name]):
            if not (task / top).exists() and not (folder / top).exists():
                (folder / top).symlink_to(site / top)
    return folder


def _inputs() -> Iterator[Path]:
    yield from (ROOT / "pyproject.toml", SETTINGS, Path(__file__).resolve())
    for path in (ROOT / "functions" / "tiket").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path


def _stamp(python: str) -> str:
    version = subprocess.run(  # noqa: S603 - this repo's interpreter and a fixed command
        [python, "-c", "import sys; print(sys.version)"], check=True, capture_output=True, text=True
    ).stdout
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + version.encode())
    return digest.hexdigest()


def is_fresh(stage: str, python: str) -> bool:
    target = zip_path(stage)
    if not target.exists() or not STAMP.exists() or STAMP.read_text() != _stamp(python):
        return False
    built = target.stat().st_mtime
    return all(path.stat().st_mtime < built for path in _inputs())


def run(command: list, **kwargs) -> None:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, command))}")


def zappa_requirement() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return next(r for r in project["optional-dependencies"]["dev"] if _key(r).startswith("zappa"))


def _stage_source(target: Path) -> Path:
    """A clean copy of the project to install from: pip builds in the source tree, and a
    stale build/lib there would ship modules that no longer exist."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "functions" / "tiket", target / "functions" / "tiket", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    return target


def prepare_venv(python: str) -> None:
    """build/venv with the runtime dependencies and Zappa; rebuilt when pyproject.toml or
    the interpreter changes, otherwise only tiket itself is reinstalled."""
    stamp = _stamp(python)
    with tempfile.TemporaryDirectory(prefix="tiket-src-") as tmp:
        source = _stage_source(Path(tmp))
        pip = [VENV / "bin" / "python", "-m", "pip", "install", "--quiet"]
        if STAMP.exists() and STAMP.read_text() == stamp:
            run([*pip, "--no-deps", "--force-reinstall", source])
            return
        shutil.rmtree(VENV, ignore_errors=True)
        run([python, "-m", "venv", VENV])
        run([*pip, source, zappa_requirement()])
    STAMP.write_text(stamp)


def run_zappa(stage: str, raw: Path, venv: Path = VENV, project: Path = ROOT) -> None:
    """``zappa package`` of ``project`` (its zappa_settings.json) from ``venv``."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "VIRTUAL_ENV": str(venv),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        # `zappa package` makes no AWS call; boto3 still wants a region and credentials.
        "AWS_ACCESS_KEY_ID": "packaging",
        "AWS_SECRET_ACCESS_KEY": "packaging",
        "AWS_DEFAULT_REGION": stage_settings(stage, project / SETTINGS.name)["aws_region"],
    }
    run([venv / "bin" / "zappa", "package", stage, "--output", raw], cwd=project, env=env)


def rewrite(
    raw: Path, target: Path, drop: set[str], python: Path = VENV / "bin" / "python"
) -> None:
    """Unpack without tooling and stale bytecode, compile for the runtime, zip again."""
    with tempfile.TemporaryDirectory(prefix="tiket-pkg-") as tmp:
        tree = Path(tmp)
        with zipfile.ZipFile(raw) as archive:
            for entry in archive.infolist():
                parts = Path(entry.filename).parts
                if parts[0] in drop or "__pycache__" in parts:
                    continue
                archive.extract(entry, tree)
        # -s/-p: tracebacks name /var/task, where Lambda unpacks the zip.
        run(
            [
                python,
                "-m",
                "compileall",
                "-q",
                "-j0",
                "--invalidation-mode",
                "unchecked-hash",
                "-s",
                tree,
                "-p",
                "/var/task",
                tree,
            ]
        )
        partial = target.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in tree.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(tree).as_posix(), ZIP_DATE)
                info.external_attr = ZIP_MODE
                info.create_system = 3
                archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
        partial.replace(target)


def _python_for(runtime: str) -> str:
    """This interpreter if it is the runtime's version, else ``python3.X`` from PATH."""
    if f"python{sys.version_info[0]}.{sys.version_info[1]}" == runtime:
        return sys.executable
    python = shutil.which(runtime)
    if not python:
        raise SystemExit(f"{runtime} not found: build with the Python of the Lambda runtime")
    return python


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    BUILD.mkdir(exist_ok=True)
    with (BUILD / ".package.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(stage: str = "dev", force: bool = False) -> Path:
    """The path of a current package for ``stage``, built if needed."""
    if (platform.system(), platform.machine()) != ("Linux", "x86_64"):
        raise SystemExit("Build the Lambda package on Linux x86_64 (compiled wheels must match)")
    settings = stage_settings(stage)
    python = _python_for(settings["runtime"])
    target = zip_path(stage)
    with _locked():
        if force or not is_fresh(stage, python):
            prepare_venv(python)
            raw = BUILD / f"zappa-{stage}.zip"
            run_zappa(stage, raw)
            rewrite(raw, target, tooling_names(site_packages()))
            raw.unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args()
    target = build(args.stage, args.force)
    size = target.stat().st_size
    print(f"{target.relative_to(ROOT)}  {size / 2**20:.1f} MiB ({size} bytes)")


if __name__ == "__main__":
    main()
