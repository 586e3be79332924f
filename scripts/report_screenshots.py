"""Take the screenshots of docs/report.md in headless Chromium: the seed article's report, and
`cleanup.show` of a sentence with five kinds of damage, each with a tooltip showing.

Needs Debian's chromium and chromium-driver, and the test extra (selenium, pillow):

    .venv/bin/python scripts/report_screenshots.py
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "washington-post-biden-netanyahu.en.txt"
SHOW_TEXT = ("The cafÃ© owners in the Gaz\u0430 Strip said o\u200bf the plan , that [Израиля] "
             "officials left.\n")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")


def browser(width: int, height: int) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (*FLAGS, f"--window-size={width},{height}",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='cleanup-shots-')}"):
        options.add_argument(flag)
    return webdriver.Chrome(options=options,
                            service=Service(shutil.which("chromedriver") or "chromedriver"))


def shoot(page: Path, output: Path, hover: str, top: int, bottom: int, *,
          open_details: bool = False) -> None:
    """Open ``page``, hover over the first element matching ``hover``, save a cropped PNG."""
    from PIL import Image
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = browser(1000, 1300)
    try:
        driver.get(page.as_uri())
        if open_details:
            driver.execute_script("document.querySelector('details').open = true")
        ActionChains(driver).move_to_element(
            driver.find_element(By.CSS_SELECTOR, hover)).perform()
        image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    finally:
        driver.quit()
    image = image.crop((0, top, image.width, min(bottom, image.height)))
    image.quantize(colors=160, method=Image.Quantize.MEDIANCUT).save(output, optimize=True)
    print(f"{output.relative_to(ROOT)}: {image.width}x{image.height}, "
          f"{output.stat().st_size:,} bytes")


def main() -> int:
    import cleanup

    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder) / "seed.html"
        seed.write_bytes(subprocess.run(
            [sys.executable, "-m", "cleanup", "check", "--format", "html",
             str(SEED.relative_to(ROOT))], cwd=ROOT, capture_output=True, check=False).stdout)
        shoot(seed, ROOT / "docs" / "report-seed.png", 'mark[data-rule="CU201"]', 0, 1000)
        shown = Path(folder) / "show.html"
        shown.write_text(cleanup.show(SHOW_TEXT, title="cleanup.show(text)").to_html(),
                         encoding="utf-8")
        shoot(shown, ROOT / "docs" / "report-show.png", 'mark[data-rule="CU601"]', 190, 755,
              open_details=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
