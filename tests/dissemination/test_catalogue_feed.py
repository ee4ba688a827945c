"""The Atom feed of newly published sheets, read by a real parser (feedparser)."""
import feedparser

from tests.dissemination.catalogue_helpers import create_sheet, draft_state, unpublished_state


def test_the_feed_lists_the_published_sheets_newest_first(app, in_db, client):
    with in_db():
        old = create_sheet(title="Jardins partagés", summary="Des potagers.", published_days_ago=10)
        new = create_sheet(title="Conciergerie & <solidaire>", summary="Des services.", published_days_ago=1)
        create_sheet(title="Brouillon caché", state=draft_state())
        create_sheet(title="Fiche dépubliée", state=unpublished_state())
        old_slug, new_slug = old.slug, new.slug
    response = client.get("/catalogue/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Conciergerie & <solidaire>", "Jardins partagés"]
    assert [entry.link for entry in feed.entries] == [f"http://fsi.test/catalogue/{new_slug}",
                                                      f"http://fsi.test/catalogue/{old_slug}"]
    assert feed.entries[0].summary == "Des services."
    assert feed.entries[0].id == f"http://fsi.test/catalogue/{new_slug}"
    assert feed.entries[0].published_parsed is not None
    assert feed.feed.links[0].href == "http://fsi.test/catalogue/feed.atom"
    assert b"Brouillon" not in response.data and "dépubliée".encode() not in response.data


def test_an_empty_feed_is_still_valid(app, client):
    feed = feedparser.parse(client.get("/catalogue/feed.atom").data)
    assert not feed.bozo
    assert feed.entries == []
    assert feed.feed.title == "FSI · Fiches d'expérience publiées"
