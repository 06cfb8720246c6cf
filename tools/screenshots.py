"""Phone screenshots of pages for docs/pages.md: 360 px wide, signed in, optimised PNGs.

    .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8000 \\
        --user lucia@minga.test --locale es --out docs/screenshots \\
        catalogue=/catalogue/ cart=/cart/ order=/orders/1/ invoice=/orders/1/invoice/

Each NAME=PATH becomes NAME.png. Runs Debian's Chromium (/usr/bin/chromium) through Playwright
against a running server (`make run` serves the demo, whose password is the default). A page
taller than --max-height is cut there: the top of a page is what a phone shows first.
"""

import argparse
import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import ViewportSize, sync_playwright

CHROMIUM = "/usr/bin/chromium"
PHONE: ViewportSize = {"width": 360, "height": 740}


def optimise(png: bytes, path: Path, max_height: int) -> int:
    """A 64-colour palette PNG (text and flat colours survive it), cut at max_height."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.height > max_height:
        image = image.crop((0, 0, image.width, max_height))
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    return path.stat().st_size


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", metavar="NAME=PATH")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", help="sign in as this e-mail first")
    parser.add_argument("--password", default="minga-demo-2026")
    parser.add_argument("--locale", default="es")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--max-height", type=int, default=1800)
    args = parser.parse_args(argv)
    pages = [page.split("=", 1) for page in args.pages]
    if any(len(page) != 2 for page in pages):
        parser.error("each page is NAME=PATH")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            base_url=args.base,
            viewport=PHONE,
            device_scale_factor=1,
            is_mobile=True,
            locale=args.locale,
            extra_http_headers={"Accept-Language": args.locale},
        )
        tab = context.new_page()
        if args.user:
            tab.goto("/signin/")
            tab.locator("input[name=username]").fill(args.user)
            tab.locator("input[name=password]").fill(args.password)
            tab.locator("main form button[type=submit]").click()
            tab.wait_for_load_state()
        for name, path in pages:
            response = tab.goto(path)
            status = response.status if response else "?"
            size = optimise(
                tab.screenshot(full_page=True), args.out / f"{name}.png", args.max_height
            )
            print(f"{name}.png  {path}  HTTP {status}  {size // 1024} KiB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
