"""Dissemination in the browser: staff close a paid project; its lead writes the practice sheet
from its prefill, staff return it once then publish it; staff present it at an Atelier; an
anonymous visitor finds it in the public catalogue, the event's calendar file, the Atom feed and
the open data; another housing body declares it reproduced the practice."""
import csv
import io
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
from icalendar import Calendar
from playwright.sync_api import expect

from fsi.dissemination.events.models import EVENT_KIND_LABELS, EventKind
from fsi.i18n import today
from tests.e2e.helpers import JOURNEY, choice, go_to_menu, t, visit
from tests.e2e.steps.funding import visit_tall
from tests.e2e.steps.review import done

PARIS = ZoneInfo("Europe/Paris")


def event_kind(kind):
    """An event's kind (« Atelier »...) in the journey's language."""
    return EVENT_KIND_LABELS[EventKind(kind)][JOURNEY["language"]]


def open_application(page, project_url):
    page.goto(project_url)
    page.get_by_role("link", name=t("Voir le dossier de candidature")).click()
    page.wait_for_load_state("load")
    return page.url


def close_project(page, project_url):
    """« Solder le projet » from the application's actions, with the closing date."""
    url = open_application(page, project_url)
    action = choice("Solder le projet")
    box = page.locator("section.workflow-actions")
    box.locator("summary", has_text=action).click()
    box.get_by_label(t("Date")).fill(today().isoformat())
    visit(page, "application-closing")
    box.get_by_role("button", name=t("Confirmer : %(action)s", action=action)).click()
    expect(page.get_by_text(done("Solder le projet"))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(choice("Soldé"))
    return url


def act(page, action, comment=None):
    """A workflow action of the sheet (its French label), its comment typed in its own form: the
    box holds several actions with a comment each (review.fire takes the first)."""
    label = choice(action)
    details = page.locator("section.workflow-actions details").filter(
        has=page.locator("summary", has_text=label))
    details.locator("summary").click()
    if comment:
        details.get_by_label(re.compile(t("Commentaire"))).fill(comment)
    details.get_by_role("button", name=t("Confirmer : %(action)s", action=label)).click()
    expect(page.get_by_text(done(action))).to_be_visible()


def sheet_field(page, label):
    return page.get_by_label(t(label), exact=True)


def start_sheet(page, title):
    """« Fiches d'expérience »: the project is among those whose sheet may be written; « Rédiger
    la fiche » opens the prefilled form."""
    go_to_menu(page, "Fiches d'expérience")
    startable = page.get_by_role("region", name=t("Projets dont la fiche peut être rédigée"))
    item = startable.get_by_role("listitem").filter(has_text=title)
    expect(item).to_be_visible()
    visit(page, "sheets-index")
    item.get_by_role("button", name=re.compile(rf"^{re.escape(t('Rédiger la fiche'))}")).click()
    expect(page.get_by_text(t("La fiche est préremplie à partir du dossier et du bilan final : relisez-la et "
                              "complétez-la."))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Rédiger la fiche d'expérience"))
    expect(sheet_field(page, "Titre de la fiche")).to_have_value(title)
    visit_tall(page, "sheet-edit-prefilled")


def save_sheet(page):
    page.get_by_role("button", name=t("Enregistrer la fiche")).click()
    expect(page.get_by_text(t("Fiche enregistrée."))).to_be_visible()


def fill_if_empty(page, label, text):
    field = sheet_field(page, label)
    if not field.input_value().strip():
        field.fill(text)


def submit_sheet(page):
    act(page, "Soumettre la fiche")
    expect(page.get_by_role("main")).to_contain_text(choice("En relecture"))


def open_sheet_from_list(page, title):
    go_to_menu(page, "Fiches d'expérience")
    row = page.get_by_role("row", name=re.compile(re.escape(title)))
    row.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def create_event(page, *, title, starts, ends, place, description, sheet_title):
    """« Ateliers et clubs » → « Nouvel événement »: an Atelier presenting the sheet (times in
    Europe/Paris, as typed)."""
    go_to_menu(page, "Ateliers et clubs")
    visit(page, "events-index-staff")
    page.get_by_role("link", name=t("Nouvel événement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Nouvel événement"))
    page.get_by_role("radio", name=event_kind("atelier"), exact=True).check()
    page.get_by_label(t("Titre"), exact=True).fill(title)
    page.get_by_label(t("Début (heure de Paris)")).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(t("Fin (heure de Paris)")).fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(t("Nombre de places")).fill("30")
    page.get_by_label(t("Lieu (adresse)")).fill(place)
    page.get_by_label(t("Description (Markdown)")).fill(description)
    page.get_by_role("group", name=t("Fiches d'expérience présentées")).get_by_label(sheet_title, exact=True).check()
    visit_tall(page, "event-new", height=1400)
    page.get_by_role("button", name=t("Enregistrer"), exact=True).click()
    expect(page.get_by_text(t("Événement créé."))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    visit(page, "event-manage")


def parse_ics(data):
    calendar = Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def parse_json(text):
    return json.loads(text)


def parse_feed(text):
    return feedparser.parse(text)


def paris_to_utc(moment):
    return moment.replace(tzinfo=PARIS).astimezone(ZoneInfo("UTC"))


def event_time(days_ahead, hour, minute=0):
    """A day ``days_ahead`` from today, at ``hour``:``minute`` in Paris (naive, as typed)."""
    day = today() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, minute)


__all__ = ["act", "close_project", "event_kind", "create_event", "fill_if_empty", "open_application", "open_sheet_from_list",
           "parse_csv", "parse_feed", "parse_ics", "parse_json", "paris_to_utc", "save_sheet", "sheet_field",
           "start_sheet", "submit_sheet"]
