"""Build the Lambda package of one stage: ``make package [STAGE=dev] [ARCH=arm64|x86_64]``.

The zip is assembled the way ``zappa package`` lays it out, without Zappa zipping a
virtualenv, so it can be built for either Lambda architecture on any Linux or macOS host:

- pip installs the runtime dependencies of ``pyproject.toml`` for the Lambda platform
  (``--platform manylinux…_<arch> --python-version <runtime> --only-binary :all:``),
  plus the ``zappa`` package itself (its handler serves the events ``tiket.handler``
  hands on) without the command line's requirements;
- what the runtime provides (boto3 and the libraries only it uses) is left out, and so are
  the local stack's modules, libraries' tests and the ``holidays`` data of other countries;
- ``zappa_settings.py`` is written by Zappa's own code from the generated stage settings;
- every module is compiled to bytecode by the runtime's Python with unchecked-hash
  invalidation (``/var/task`` is read-only: without it every cold start recompiles);
- entries are sorted, with fixed dates and modes.

The result is ``build/tiket-<stage>-<arch>.zip``; its path and size are printed. The build
is skipped when the inputs (sources, dependencies, settings, this tool, the interpreter)
hash the same as for the zip on disk.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
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

if __package__ in (None, ""):  # `python tools/package.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import pythons, zappa_config

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SOURCE = ROOT / "functions" / "tiket"
# Provided by every Lambda Python runtime, kept consistent and patched by AWS. TIKet uses
# only long-standing calls (DynamoDB through PynamoDB, SES v2, SSM, S3), so any runtime
# version serves it. python-dateutil and six stay in the zip: holidays needs them too.
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3")
# The local stack only (PRODUCT.md §8); the app registers dev routes only when enabled.
LOCAL_ONLY = ("local.py", "local_moto.py", "web/dev.py", "web/templates/dev_mail.html")
# The country whose calendar TIKet uses (domain/calendar.py); every other one is dropped.
HOLIDAYS_COUNTRY = ("indonesia", "Indonesia, ID, IDN", "ID")
PLATFORMS = {
    # Lambda's Python 3.12+ runtimes run Amazon Linux 2023 (glibc 2.34).
    "x86_64": ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64"),
    "arm64": ("manylinux2014_aarch64", "manylinux_2_28_aarch64", "manylinux_2_34_aarch64"),
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# World-readable, as Zappa makes them: Lambda runs the code as another user than the owner.
ZIP_MODE = 0o100755 << 16


def zip_path(stage: str, arch: str) -> Path:
    return BUILD / f"tiket-{stage}-{arch}.zip"


def runtime_version(settings: dict | None = None) -> str:
    return (settings or zappa_config.common())["runtime"].removeprefix("python")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def distributions(site: Path) -> dict[str, metadata.Distribution]:
    return {_key(d.metadata["Name"]): d for d in metadata.distributions(path=[str(site)])}


def top_levels(dist: metadata.Distribution) -> set[str]:
    """The names a distribution puts at the top of site-packages, from its RECORD."""
    return {f.parts[0] for f in dist.files or () if f.parts and f.parts[0] != ".."}


def closure(site: Path, names: Iterable[str]) -> set[str]:
    """Distributions ``names`` need, recursively (extras' requirements left out)."""
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


def site_packages(venv: Path) -> Path:
    (site,) = (venv / "lib").glob("python3.*/site-packages")
    return site


def runtime_sdk(site: Path, task: Path, folder: Path) -> Path:
    """Stand in for what the Lambda runtime provides outside the zip: boto3 and the
    libraries the package at ``task`` leaves out, linked from ``site``."""
    dists = distributions(site)
    folder.mkdir(parents=True, exist_ok=True)
    for name in closure(site, ["boto3"]):
        for top in top_levels(dists[name]):
            if not (task / top).exists() and not (folder / top).exists():
                (folder / top).symlink_to(site / top)
    return folder


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


def zappa_requirement() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return next(r for r in project["optional-dependencies"]["dev"] if _key(r).startswith("zappa"))


def run(command: list, **kwargs) -> str:
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, command))}")
    return result.stdout


def _inputs_digest(stage: str, arch: str, python: str) -> str:
    digest = hashlib.sha256(f"{stage}\0{arch}\0".encode())
    digest.update(run([python, "-c", "import sys; print(sys.version)"]).encode())
    tools = ROOT / "tools"
    fixed = [
        ROOT / "pyproject.toml",
        zappa_config.COMMON_FILE,
        tools / "package.py",
        tools / "zappa_config.py",
    ]
    sources = sorted(p for p in SOURCE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in fixed + sources:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def pip_install(tree: Path, arch: str, version: str, packages: list[str], deps: bool) -> None:
    platforms = [flag for p in PLATFORMS[arch] for flag in ("--platform", p)]
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--target", tree]
    command += ["--implementation", "cp", "--python-version", version, *platforms]
    command += [
        "--only-binary",
        ":all:",
        "--no-compile",
        "--upgrade",
        "--disable-pip-version-check",
    ]
    run([*command, *([] if deps else ["--no-deps"]), *packages])


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def trim(tree: Path) -> None:
    """Leave out what the function never imports."""
    dists = distributions(tree)
    for name in RUNTIME_PROVIDED:
        if _key(name) in dists:
            for top in top_levels(dists[_key(name)]):
                _remove(tree / top)
    _remove(tree / "bin")
    # Libraries' own test suites (pygal ships one) and type stubs.
    for folder in [p for p in tree.glob("*/test*") if p.is_dir() and p.name in ("test", "tests")]:
        _remove(folder)
    trim_holidays(tree / "holidays")


def trim_holidays(package: Path) -> None:
    """Only Indonesia's calendar: ``holidays.countries`` imports every country (about 250
    modules) the first time one is used, and the locale folders hold every country's
    translations. The registry of the rest stays (lazy, never imported)."""
    module, names, code = HOLIDAYS_COUNTRY
    countries = package / "countries"
    for path in countries.glob("*.py"):
        if path.name not in ("__init__.py", f"{module}.py"):
            path.unlink()
    header = "# Trimmed by tools/package.py: TIKet uses only this country.\n"
    (countries / "__init__.py").write_text(
        f"{header}from holidays.countries.{module} import {names}\n"
    )
    for path in (package / "financial").glob("*.py"):
        if path.name != "__init__.py":
            path.unlink()
    (package / "financial" / "__init__.py").write_text(header)
    for path in (package / "locale").rglob("*.mo"):
        if path.stem != code:
            path.unlink()
    for path in (package / "locale").rglob("*.po"):
        path.unlink()


def copy_app(tree: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(SOURCE, tree / "tiket", ignore=ignore)
    for relative in LOCAL_ONLY:
        _remove(tree / "tiket" / relative)


def compile_tree(tree: Path, python: str) -> None:
    # -s/-p: tracebacks name /var/task, where Lambda unpacks the zip.
    invalidation = ["--invalidation-mode", "unchecked-hash"]
    run(
        [
            python,
            "-m",
            "compileall",
            "-q",
            "-j0",
            *invalidation,
            "-s",
            tree,
            "-p",
            "/var/task",
            tree,
        ]
    )


def write_zip(tree: Path, target: Path) -> None:
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in tree.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(tree).as_posix(), ZIP_DATE)
            info.external_attr = ZIP_MODE
            info.create_system = 3
            archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
    partial.replace(target)


def assemble(stage: str, arch: str, python: str, target: Path) -> None:
    version = runtime_version()
    with tempfile.TemporaryDirectory(prefix="tiket-pkg-") as tmp:
        tree = Path(tmp) / "task"
        pip_install(tree, arch, version, requirements(), deps=True)
        # Zappa's handler (the fallback of tiket.handler) needs, besides the runtime's
        # boto3 and Werkzeug, only durationpy; the rest of Zappa's requirements serve its CLI.
        pip_install(tree, arch, version, [zappa_requirement(), "durationpy"], deps=False)
        trim(tree)
        copy_app(tree)
        module = zappa_config.settings_module(stage, Path(tmp) / "settings")
        (tree / "zappa_settings.py").write_text(module)
        compile_tree(tree, python)
        write_zip(tree, target)


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    BUILD.mkdir(exist_ok=True)
    with (BUILD / ".package.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(stage: str = "dev", arch: str | None = None, force: bool = False) -> Path:
    """The path of a current package for ``stage`` and ``arch`` (default: the settings'
    architecture), built if needed."""
    arch = arch or zappa_config.common()["architecture"]
    if arch not in PLATFORMS:
        raise SystemExit(f"architecture must be one of {', '.join(PLATFORMS)}, not {arch!r}")
    python = pythons.require(runtime_version())
    target = zip_path(stage, arch)
    stamp = target.with_suffix(".inputs")
    with _locked():
        digest = _inputs_digest(stage, arch, python)
        if force or not target.exists() or not stamp.exists() or stamp.read_text() != digest:
            assemble(stage, arch, python, target)
            stamp.write_text(digest)
    return target


def describe(target: Path) -> str:
    size = target.stat().st_size
    return f"{target.relative_to(ROOT)}  {size / 2**20:.1f} MiB ({size} bytes)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev")
    parser.add_argument("--arch", choices=sorted(PLATFORMS), help="default: zappa_settings.json")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args()
    print(describe(build(args.stage, args.arch, args.force)))
    print(json.dumps({"runtime": zappa_config.common()["runtime"]}))


if __name__ == "__main__":
    main()
