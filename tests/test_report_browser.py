"""The HTML report in a real browser: Debian's Chromium driven headless through selenium.

One browser serves the whole module. Without Chromium, chromedriver or selenium the tests skip
with the reason, except under CI (``CI`` set), where `make test` installs them and a missing
browser is a failure, not a skip.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "washington-post-biden-netanyahu.en.txt"
SAMPLE = ROOT / "fixtures" / "corpus" / "sample.jsonl"

#: Chromium stalls on this closed network without the flags that stop its background requests.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--window-size=1200,1400")

HOSTILE = ('He said [Израиля] <script>document.title="pwned"</script> and "><img src=x '
           'onerror="document.title=\'pwned too\'"> o\u200bf the plan .\n')


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for program in ("chromium", "chromedriver"):
        if shutil.which(program) is None:
            return f"{program} is not installed (as root: apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run on CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="cleanup-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def cleanup_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    seed = folder / "seed.html"
    seed.write_bytes(cleanup_cli("check", "--format", "html", SEED, cwd=folder).stdout)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    hostile = folder / "hostile.html"
    hostile.write_bytes(cleanup_cli("check", "--format", "html", "hostile.txt",
                                    cwd=folder).stdout)
    shutil.copy(SAMPLE, folder / "in.jsonl")
    result = cleanup_cli("annotate", "in.jsonl", "out.jsonl", "--workers", "1",
                         "--report", "corpus.html", cwd=folder)
    assert result.returncode == 0, result.stderr.decode()
    return {"seed": seed, "hostile": hostile, "corpus": folder / "corpus.html"}


def open_page(browser: Any, path: Path) -> None:
    browser.get(path.as_uri())
    browser.execute_script("window.scrollTo(0, 0)")


def tooltip(browser: Any, element: Any) -> str:
    """The tooltip text the page draws for ``element`` now ('none' when it draws none)."""
    return str(browser.execute_script(
        "return getComputedStyle(arguments[0], '::after').content", element))


def fragment_mark(browser: Any) -> Any:
    from selenium.webdriver.common.by import By

    marks = [m for m in browser.find_elements(By.CSS_SELECTOR, 'mark[data-rule="CU201"]')
             if m.text == "[Израиля]"]
    assert len(marks) == 1
    return marks[0]


def test_the_seed_report_renders_with_its_fragment_marked(browser: Any,
                                                          reports: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, reports["seed"])
    assert browser.title == "cleanup report"
    assert browser.find_element(By.TAG_NAME, "h1").text == "cleanup report"
    mark = fragment_mark(browser)
    assert mark.get_attribute("data-rule") == "CU201"
    assert mark.get_attribute("data-kind") == "foreign_fragment"
    assert mark.is_displayed()
    colour = browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                    mark)
    assert colour == "rgb(198, 226, 255)"  # the foreign_fragment colour of the legend


def test_hovering_the_fragment_shows_its_message(browser: Any,
                                                 reports: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_page(browser, reports["seed"])
    mark = fragment_mark(browser)
    assert tooltip(browser, mark) == "none"
    ActionChains(browser).move_to_element(mark).perform()
    shown = tooltip(browser, mark)
    assert 'untranslated Russian fragment \\"[Израиля]\\" (gloss: Israel)' in shown
    assert shown.startswith('"CU201 foreign-script-fragment')
    ActionChains(browser).move_to_element(
        browser.find_element(By.TAG_NAME, "h1")).perform()
    assert tooltip(browser, mark) == "none"


def test_tabbing_to_the_fragment_shows_its_message(browser: Any,
                                                   reports: dict[str, Path]) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, reports["seed"])
    mark = fragment_mark(browser)
    for _ in range(40):  # the summary's links come first, then the highlights
        ActionChains(browser).send_keys(Keys.TAB).perform()
        if browser.switch_to.active_element == mark:
            break
    assert browser.switch_to.active_element == mark, "the highlight is not reachable by Tab"
    assert "untranslated Russian fragment" in tooltip(browser, mark)
    described = browser.execute_script(
        "return document.getElementById(arguments[0].getAttribute('aria-describedby'))"
        ".textContent", mark)
    assert described.startswith('untranslated Russian fragment "[Израиля]"')


def test_a_screenshot_of_the_report_is_not_blank(browser: Any,
                                                 reports: dict[str, Path]) -> None:
    from PIL import Image

    open_page(browser, reports["seed"])
    image = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 100  # text, highlights and legend, not an empty page
    present = {colour for _, colour in colours}
    assert (198, 226, 255) in present  # the fragment's highlight is painted
    background = max(colours)[1]
    assert background == (255, 255, 255)


def test_a_script_in_the_checked_text_does_not_run(browser: Any,
                                                   reports: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, reports["hostile"])
    assert browser.title == "cleanup report"
    assert browser.find_elements(By.TAG_NAME, "script") == []
    assert browser.find_elements(By.TAG_NAME, "img") == []
    document = browser.find_element(By.CSS_SELECTOR, ".doc").text
    assert '<script>document.title="pwned"</script>' in document
    assert "o⟨U+200B⟩f" in document  # the zero-width space is drawn


def test_the_corpus_report_links_summary_and_samples(browser: Any,
                                                     reports: dict[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    open_page(browser, reports["corpus"])
    assert browser.title == "cleanup corpus report"
    link = browser.find_element(By.CSS_SELECTOR, 'a[href="#rule-CU101"]')
    link.click()
    assert browser.current_url.endswith("#rule-CU101")
    section = browser.find_element(By.ID, "rule-CU101")
    marks = section.find_elements(By.CSS_SELECTOR, 'mark[data-rule="CU101"]')
    assert 1 <= len(marks) <= 20 and all(m.is_displayed() for m in marks[:1])
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top",
                                  section) < 50  # scrolled to the samples
    section.find_element(By.CSS_SELECTOR, 'a[href="#summary-CU101"]').click()
    assert browser.current_url.endswith("#summary-CU101")
