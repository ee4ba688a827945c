"""What every journey step uses: sign in and out like a user, check a page with axe-core and the
browser's console, keep a screenshot of it; say things in the journey's language."""
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from fsi.amounts import format_amount
from tests.wording import label_wording, wording, wording_pattern

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
#: Things worth reading after the run (schema fallback, minor accessibility findings).
NOTES = []

#: WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
DEMO_PASSWORD = "demo-fsi-2026"

#: the language the journey runs in (test_journey's ``language`` fixture sets it)
JOURNEY = {"language": "fr"}
#: what the browser reported as wrong (console errors, failed resources), per page address
BROWSER_ERRORS = []

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


def t(french, **values):
    """A message of the interface (given in French) as the journey's language says it."""
    return wording(french, JOURNEY["language"], **values)


def choice(french):
    """A label of the domain's choices (a state, an action, a role, a theme...) in the journey's
    language."""
    return label_wording(french, JOURNEY["language"])


def t_re(french, **patterns):
    """A pattern for a message whose placeholders vary (see tests.wording.wording_pattern)."""
    return wording_pattern(french, JOURNEY["language"], **patterns)


def in_row(label, number):
    """The accessible name of a repeated field: « Libellé, ligne 2 »."""
    return f"{t(label)}, {t('ligne %(n)s', n=number)}"


def typed(amount):
    """An amount as a person of the journey's language types it: « 25 000 » or « 25,000 »."""
    return format_amount(Decimal(amount), places=0, language=JOURNEY["language"]).replace("\u202f", " ")


def shown(amount):
    """An amount as pages show it, with cents: « 30 000,00 » or « 30,000.00 »."""
    return format_amount(Decimal(amount), language=JOURNEY["language"])


def money_re(amount):
    """A pattern for an amount in euros as pages show it (« 25 000,00 € », « €25,000.00 »),
    whatever the spaces (French groups with U+202F)."""
    figure = r"\s?".join(re.escape(part) for part in re.split(r"\s", shown(amount)))
    return rf"€?\s?{figure}(?:\s?€)?"


def watch_browser(page):
    """Keep what the browser reports as wrong on ``page``: errors in the console and resources
    that fail. A document answering 4xx is left out: the journey asks for refusals (422, 404)."""
    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            BROWSER_ERRORS.append(f"{page.url}: console: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            BROWSER_ERRORS.append(f"{page.url}: {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: BROWSER_ERRORS.append(f"{page.url}: script error: {error}"))
    page.on("response", on_response)
    def on_request_failed(request):
        # a request cut short by the next navigation (a click before the favicon came) is not a fault
        if request.failure != "net::ERR_ABORTED":
            BROWSER_ERRORS.append(f"{page.url}: {request.failure} for {request.url}")

    page.on("requestfailed", on_request_failed)


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
    """The checks every page of the journey gets: nothing wrong in the browser's console, a
    screenshot (the README's pictures are the French ones), and axe-core (once per page and
    language: a step repeated for a second user shows the same page)."""
    page.wait_for_load_state("load")
    assert not BROWSER_ERRORS, "the browser reported:\n" + "\n".join(BROWSER_ERRORS)
    language = JOURNEY["language"]
    screenshot(page, name if language == "fr" else f"{name}-{language}", doc if language == "fr" else None)
    if (name, language) not in _checked:
        check_accessibility(page, f"{name} ({language})")
        _checked.add((name, language))


def choose_language(page):
    """On a page in French, switch to the journey's language (the switch in the header)."""
    if JOURNEY["language"] == "en" and page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")


def log_in(page, email, password=DEMO_PASSWORD, succeeds=True):
    page.goto("/login")
    choose_language(page)
    page.get_by_label(t("Adresse de courriel")).fill(email)
    page.get_by_label(t("Mot de passe")).fill(password)
    page.get_by_role("button", name=t("Se connecter")).click()
    if succeeds:
        page.wait_for_url(lambda url: "/login" not in url)
    page.wait_for_load_state("load")


def signed_in_pages(new_page, accounts):
    """``page_of(who)``: a page of its own for each person of ``accounts`` ({who: email}), signed
    in the first time it is asked for (a journey switches between them)."""
    opened = {}

    def page_of(who):
        if who not in opened:
            opened[who] = new_page()
            log_in(opened[who], accounts[who])
        return opened[who]

    return page_of


def log_in_with_keyboard(page, email, password=DEMO_PASSWORD):
    """Sign in with the keyboard alone: skip link, Tab to each field, Enter to send."""
    page.goto("/login")
    choose_language(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=t("Aller au contenu"))).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label(t("Adresse de courriel"))).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label(t("Mot de passe"))).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def go_to_menu(page, name):
    """Follow an entry of the main navigation, as a user would (and wait for its page)."""
    link = page.get_by_role("navigation", name=t("Navigation principale")).get_by_role("link", name=t(name), exact=True)
    path = urlsplit(link.get_attribute("href")).path
    link.click()
    page.wait_for_url(lambda url: urlsplit(url).path == path)
    page.wait_for_load_state("load")


def log_out(page):
    page.get_by_role("button", name=t("Se déconnecter")).click()
    page.wait_for_url(re.compile(r"/login"))


def focus_outline(page):
    """The computed outline of the element that has the keyboard focus."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {tag: document.activeElement.tagName, text: document.activeElement.textContent.trim(),"
        " style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor}; }"
    )


def expect_error_next_to(field, message):
    """The field is marked invalid and points (aria-describedby) at an element saying ``message``
    (a text, or a pattern for a message with variable parts)."""
    expect(field).to_have_attribute("aria-invalid", "true")
    described = (field.get_attribute("aria-describedby") or "").split()
    texts = [field.page.locator(f"#{ident}").inner_text() for ident in described]
    said = (lambda text: message.search(text)) if isinstance(message, re.Pattern) else (lambda text: message in text)
    assert any(said(text) for text in texts), f"{message!r} not in the field's descriptions {texts!r}"
