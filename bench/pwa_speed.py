"""PWA speed, measured: cold offline start → editable day, first-load JS+CSS gzipped, and Lighthouse.

    .venv/bin/python bench/pwa_speed.py [--runs 5] [--no-lighthouse]

1. Builds nothing: serves the current pwa/dist with gunicorn on a fresh demo database.
2. First load: the JS and CSS that index.html pulls in, gzipped (target ≤ 150 KB).
3. Cold offline start: a tablet profile logs in once online (service worker installed, replica pulled),
   then for each run the browser is launched again with the network off and the clock runs from the
   launch to the day screen's first field being editable (target < 1 s).
4. Lighthouse 12.2.3 (pwa/node_modules, CHROME_PATH=/usr/bin/chromium) on login, home and day entry at
   its default mobile settings, in the logged-in profile: performance and accessibility (target ≥ 95).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, DIST, FLAGS, LiveServer  # noqa: E402
from tests.e2e.helpers import CASHIER, demo_ids, ensure_opening_day, login, today, wait_sw_controlled, wait_synced  # noqa: E402

LIGHTHOUSE = ROOT / "pwa" / "node_modules" / ".bin" / "lighthouse"


def first_load_kb() -> float:
    html = (DIST / "index.html").read_text()
    assets = re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', html)
    total = sum(len(gzip.compress((DIST / a.lstrip("/")).read_bytes(), 9)) for a in assets)
    return total / 1024


def cold_offline_starts(server: LiveServer, profile: Path, runs: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    demo = demo_ids(server)
    date = today()
    ensure_opening_day(server, demo, date)
    day_url = f"{server.url}/#/day/{demo.register_id}/{date}"
    times: list[float] = []
    in_page: list[float] = []  # from the navigation start, browser launch excluded
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS, headless=True,
                                                   viewport={"width": 820, "height": 1180}, locale="fr-FR")
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto(server.url + "/")
        login(page, server.url, CASHIER)
        wait_synced(page)
        wait_sw_controlled(page)
        page.goto(day_url)
        page.get_by_test_id("z-number").wait_for()
        ctx.close()
        for _ in range(runs):
            started = time.perf_counter()
            ctx = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS,
                                                       headless=True, offline=True,
                                                       viewport={"width": 820, "height": 1180}, locale="fr-FR")
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            page.goto(day_url)
            page.wait_for_function("() => { const z = document.querySelector('[data-testid=z-number]');"
                                   " return z && !z.disabled; }", timeout=30000)
            times.append(time.perf_counter() - started)
            in_page.append(page.evaluate("() => performance.now()") / 1000)
            ctx.close()
    return times, in_page


def lighthouse(server: LiveServer, profile: Path) -> dict[str, dict[str, int]]:
    if not LIGHTHOUSE.exists():
        return {"error": {"message": "npm i -E -D lighthouse@12.2.3 in pwa/ first"}}  # type: ignore[dict-item]
    demo = demo_ids(server)
    pages = {"login": "/#/login", "home": "/#/", "day": f"/#/day/{demo.register_id}/{today()}"}
    scores: dict[str, dict[str, int]] = {}
    port = 9333
    chrome = subprocess.Popen([CHROMIUM, *FLAGS, "--headless=new", f"--remote-debugging-port={port}",
                               f"--user-data-dir={profile}", "about:blank"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(2)
        for name, path in pages.items():
            with tempfile.NamedTemporaryFile(suffix=".json") as out:
                subprocess.run([str(LIGHTHOUSE), server.url + path, f"--port={port}", "--output=json",
                                f"--output-path={out.name}", "--only-categories=performance,accessibility",
                                "--quiet", "--disable-storage-reset"],
                               check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM), timeout=240)
                report = json.loads(Path(out.name).read_text())
            scores[name] = {k: round(100 * (v["score"] or 0)) for k, v in report["categories"].items()}
    finally:
        chrome.terminate()
        chrome.wait(timeout=10)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Path(tmp))
        try:
            print(f"first load JS+CSS gzipped: {first_load_kb():.1f} KB (target ≤ 150 KB)")
            times, in_page = cold_offline_starts(server, Path(tmp) / "profile", args.runs)
            print(f"cold offline start → editable day: median {statistics.median(times):.2f} s, "
                  f"max {max(times):.2f} s over {len(times)} runs, browser launch included (target < 1 s)")
            print(f"  of which in the page (navigation start → editable): median {statistics.median(in_page):.2f} s, "
                  f"max {max(in_page):.2f} s")
            print(f"  machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            if not args.no_lighthouse:
                for name, cats in lighthouse(server, Path(tmp) / "profile").items():
                    print(f"lighthouse {name}: " + ", ".join(f"{k} {v}" for k, v in cats.items()))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
