"""Lighthouse (mobile) on the requester pages of the real local stack, plus the request
page's wire budget. Needs Node (npm installs lighthouse@12.2.3 here) and Debian Chromium.

Run: ``.venv/bin/python bench/lighthouse/run.py`` (about a minute per page).
Budget of the issue: request.html ≤ 6 requests and ≤ 40 KB on the wire; performance ≥ 98,
accessibility 100, best practices 100.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.stack import LocalStack

CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = ("index.html", "request.html", "track.html")
CATEGORIES = ("performance", "accessibility", "best-practices")


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        [
            "npx",
            "--no-install",
            "lighthouse",
            url,
            "--form-factor=mobile",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
        ],
        cwd=HERE,
        check=True,
        env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/local/bin:/usr/bin:/bin"},
    )
    report = json.loads(out.read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    items = report["audits"]["network-requests"]["details"]["items"]
    scores["requests"] = len(items)
    scores["bytes"] = sum(item.get("transferSize", 0) for item in items)
    return scores


def main() -> None:
    if not (HERE / "node_modules" / "lighthouse").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        stack = LocalStack(Path(tmp) / "var").start()
        try:
            print(f"{'page':<14} {'perf':>5} {'a11y':>5} {'best':>5} {'reqs':>5} {'bytes':>7}")
            for page in PAGES:
                s = lighthouse(f"{stack.url}/{page}", Path(tmp) / f"{page}.json")
                print(
                    f"{page:<14} {s['performance']:>5} {s['accessibility']:>5} "
                    f"{s['best-practices']:>5} {s['requests']:>5} {s['bytes']:>7}"
                )
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
