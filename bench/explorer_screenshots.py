"""Screenshots of the explorer for the README, taken by headless Chromium (issue 12).

Serves a built graph (default ``out``) on a free loopback port and writes, into ``docs/img/``:
``explorer-search.png`` (the type-ahead on 阳光), ``explorer-entity.png`` (the page of 王睿: his
posts, each with its quote and source) and ``explorer-graph.png`` (the graph panel of 阳光保险集团
with one person expanded). Nothing is fetched from another server.

    .venv/bin/python bench/explorer_screenshots.py [--out out] [--img docs/img]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("out"))
    ap.add_argument("--img", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "img")
    ap.add_argument("--chromium", default=CHROMIUM)
    args = ap.parse_args()

    import ecokg
    from ecokg.explorer.reads import entity_key
    from ecokg.serve import running_server
    from playwright.sync_api import sync_playwright

    with ecokg.open(args.out) as kg:
        org = entity_key(kg.find("阳光保险集团")[0]["id"])
        person_id = kg.find("王睿", ["Person"])[0]["id"]
    args.img.mkdir(parents=True, exist_ok=True)
    with running_server(args.out, "127.0.0.1", 0, log=lambda m: None) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, device_scale_factor=1)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
        page = context.new_page()
        page.goto(base + "/explore")
        page.locator("#q").press_sequentially("yangguang", delay=30)
        page.wait_for_selector("ul.suggestions li")
        page.screenshot(path=str(args.img / "explorer-search.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 420})
        page.goto(base + "/entity/" + entity_key(person_id))
        page.wait_for_selector("#graph[data-loaded=yes]")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(args.img / "explorer-entity.png"))
        page.goto(base + "/entity/" + org)
        page.wait_for_selector("#graph[data-loaded=yes]")
        page.wait_for_timeout(1500)
        page.evaluate(f"window.ecokgGraph.expand({person_id!r}, 0)")
        page.wait_for_selector("#graph[data-expanded='2']")
        page.wait_for_timeout(2500)
        panel = page.locator("section.panel")
        panel.screenshot(path=str(args.img / "explorer-graph.png"))
        browser.close()
    for name in ("search", "entity", "graph"):
        print(args.img / f"explorer-{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
