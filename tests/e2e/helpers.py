"""What every journey step uses: sign in and out like a user, check a page with axe-core,
keep a screenshot of it."""
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
#: Things worth reading after the run (schema fallback, minor accessibility findings).
NOTES = []

#: WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DEMO_PASSWORD = "demo-fsi-2026"

SCREENSHOTS = ARTIFACTS / "screenshots"
_counter = {"n": 0}
_axe = None


def check_accessibility(page, where):
    """axe-core with the WCAG 2.1 A and AA rules: no serious or critical violation on the page."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    for minor in (v for v in violations if v["impact"] not in BLOCKING_IMPACTS):
        NOTES.append(f"axe ({minor['impact']}) on {where}: {minor['id']} — {minor['help']}")
    assert not blocking, f"accessibility violations on {where} ({page.url}):\n" + describe(blocking)


def describe(violations):
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def screenshot(page, name, doc=None):
    """Every step's screenshot goes to test-artifacts/screenshots/; ``doc="file-name"`` also
    writes it into FSI_SCREENSHOTS_DIR (``make screenshots``) for the README."""
    _counter["n"] += 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{_counter['n']:02d}-{name}.png"), full_page=True)
    target = os.environ.get("FSI_SCREENSHOTS_DIR")
    if doc and target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{doc}.png"))


_checked = set()


def visit(page, name, doc=None):
    """The checks every page of the journey gets: a screenshot, and axe-core (once per page name:
    a step repeated for a second user shows the same page)."""
    page.wait_for_load_state("load")
    screenshot(page, name, doc)
    if name not in _checked:
        check_accessibility(page, name)
        _checked.add(name)


def log_in(page, email, password=DEMO_PASSWORD, succeeds=True):
    page.goto("/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    if succeeds:
        page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("load")


def log_in_with_keyboard(page, email, password=DEMO_PASSWORD):
    """Sign in with the keyboard alone: skip link, Tab to each field, Enter to send."""
    page.goto("/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adresse e-mail")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def go_to_menu(page, name):
    """Follow an entry of the main navigation, as a user would (and wait for its page)."""
    link = page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name=name, exact=True)
    path = urlsplit(link.get_attribute("href")).path
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    page.wait_for_load_state("load")


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/login"))


def focus_outline(page):
    """The computed outline of the element that has the keyboard focus."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, text: document.activeElement.textContent.trim(),"
        " style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"
    )


def expect_error_next_to(field, message):
    """The field is marked invalid and points (aria-describedby) at an element saying ``message``."""
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    texts = [field.page.locator(f"#{ident}").inner_text() for ident in described]
    assert any(message in text for text in texts), f"{message!r} not in the field's descriptions {texts!r}"
