"""Zappa settings of a stage, generated: the tracked ``zappa_settings.json`` holds only what
every stage shares (stage ``_common``); a stage adds its own keys (bucket, role, environment
variables, extra events) from its stage file and the infrastructure stack's outputs.

The generated file is ``{"_common": {...}, "<stage>": {"extends": "_common", ...}}`` in a
folder of its own, so Zappa's commands run there (``zappa status prod``) see exactly what
was deployed, and nothing with a placeholder is ever tracked.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMMON_FILE = ROOT / "zappa_settings.json"
COMMON = "_common"


def common() -> dict[str, Any]:
    return dict(json.loads(COMMON_FILE.read_text())[COMMON])


def stage_settings(stage: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The stage's settings as Zappa reads them (``extends`` applied: a key replaces the
    common one as a whole)."""
    return {**common(), **(extra or {})}


def write(stage: str, folder: Path, extra: Mapping[str, Any] | None = None) -> Path:
    if stage == COMMON or not stage.isidentifier():
        raise ValueError(f"bad stage name {stage!r}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "zappa_settings.json"
    settings = {COMMON: common(), stage: {"extends": COMMON, **(extra or {})}}
    path.write_text(json.dumps(settings, indent=2, sort_keys=True) + "\n")
    return path


@contextlib.contextmanager
def working_directory(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def cli(stage: str, settings_file: Path, region: str | None = None):
    """A ``ZappaCLI`` with the stage's settings loaded (no AWS call is made by loading)."""
    from zappa.cli import ZappaCLI

    zappa = ZappaCLI()
    zappa.api_stage = stage
    zappa.vargs = {"disable_progress": True, "no_venv": True}
    quiet = contextlib.redirect_stdout(io.StringIO())
    with working_directory(settings_file.parent), quiet, _zappa_logs(logging.ERROR):
        # Zappa warns that ap-southeast-3 "may not" have Lambda: its region list is old.
        zappa.load_settings(str(settings_file))
    if region:
        zappa.zappa.aws_region = region
    return zappa


def settings_module(stage: str, folder: Path) -> str:
    """``zappa_settings.py`` as ``zappa package`` bakes it into the zip (Zappa's own code
    writes it, so its handler reads what it expects)."""
    path = write(stage, folder)
    environment = {"AWS_DEFAULT_REGION": common()["aws_region"]}
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        environment[key] = os.environ.get(key, "packaging")
    with _environment(environment):
        return cli(stage, path).get_zappa_settings_string()


@contextlib.contextmanager
def _zappa_logs(level: int) -> Iterator[None]:
    logger = logging.getLogger("zappa.core")
    before = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before)


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
