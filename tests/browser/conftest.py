"""A real Chromium driven by Playwright against pytest-django's live server, the record set, and axe-core."""
import os
import sys
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the live server's database calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lims" / "records"))

from record_factory import make_sample_set  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (run `make system-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, viewport: dict, **options):
    context = browser.new_context(accept_downloads=True, viewport=viewport, **options)
    context.set_default_timeout(15000)
    return context


@pytest.fixture
def page(browser):
    """A desktop window, 1400 px wide."""
    context = _page(browser, DESKTOP)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """A phone, 390 px wide, with touch."""
    context = _page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield context.new_page()
    context.close()


def serious_accessibility_problems(page) -> list:
    """axe-core's serious and critical violations on the page as it is now, as readable lines."""
    assert AXE.exists(), f"axe-core is missing at {AXE}: run `make assets`"
    # Through the debugger: a <script> tag added to the page would be refused by its Content-Security-Policy.
    page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v["impact"] in ("serious", "critical")]


def wider_than_the_screen(page) -> list:
    """Elements reaching past the right edge of the window (a phone would scroll sideways); [] when none."""
    return page.evaluate("""width => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)
        .filter(e => !e.closest('[hidden], .visually-hidden, .sheet-wrap, .table-scroll, .strip, .tree, .skip'))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' +
                               Math.round(e.getBoundingClientRect().right))""", page.viewport_size["width"])


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def records(cast, transactional_db):
    return make_sample_set(cast)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def log_in(page, live_server, username: str, then: str = "/records/") -> None:
    """Log in through the login page, which then opens `then` (the search page unless told otherwise)."""
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"{username}-password")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}{then}")
