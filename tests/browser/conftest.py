"""A real browser (Debian's Chromium, driven by Playwright) against the real local stack.

These tests run in CI (``.ci/run`` installs Chromium); they fail, never skip, without it."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.stack import LocalStack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("stack"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    # One stack for every browser test: the same staff members sign in more often than the
    # per-recipient limit of sign-in emails allows in an hour (five), which would silently
    # send no link (the limit has its own tests in tests/integration/test_hardening.py).
    limits = {"login_to": [1000, 3600], "me_login_to": [1000, 3600]}
    env = {"TIKET_RATE_LIMITS": json.dumps(limits)}
    stack = LocalStack(tmp_path_factory.mktemp("stack") / "var", env).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
