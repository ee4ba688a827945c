"""Search results' snippets: a few words of a sheet around the first words found, the text escaped
and the words found wrapped in <mark> (compared by their stems, so « sécurité » marks « Securites »)."""
import re

from markupsafe import Markup, escape

from fsi.dissemination.catalogue.french import key_of, stems

_TOKEN = re.compile(r"\w+|\W+")
#: Markdown's marks, dropped from snippets: headings, quotes and bullets at a line's start, emphasis,
#: links' brackets and targets
_MARKDOWN = re.compile(r"(?m)^\s*(?:#+|>+|[-*+]\s)|\||!?\[|\]\([^)]*\)|\]")
#: emphasis marks go without a space: « d'**énergie** » reads « d'énergie »
_EMPHASIS = re.compile(r"[*_`~]+")
SNIPPET_WORDS = 30
#: where a snippet is looked for, in order
SNIPPET_FIELDS = ("summary", "lessons", "results", "novelty", "actions", "problem", "reproduce", "budget")


def marked(text, wanted):
    """``text`` escaped, its words whose stem is in ``wanted`` within <mark>."""
    out = []
    for token in _TOKEN.findall(text or ""):
        if token[0].isalnum() or token[0] == "_":
            out.append(Markup("<mark>%s</mark>") % token if key_of(token) in wanted else escape(token))
        else:
            out.append(escape(token))
    return Markup("").join(out)


def snippet(sheet, query):
    """The sheet's summary (or the first field holding a word of ``query``) cut around that word."""
    wanted = set(stems(query or ""))
    fields = [_EMPHASIS.sub("", _MARKDOWN.sub(" ", getattr(sheet, name) or "")) for name in SNIPPET_FIELDS]
    if wanted:
        for text in fields:
            tokens = _TOKEN.findall(text)
            hits = [i for i, token in enumerate(tokens) if token[0].isalnum() and key_of(token) in wanted]
            if hits:
                start = max(0, hits[0] - SNIPPET_WORDS // 2 * 2)
                part = "".join(tokens[start:start + SNIPPET_WORDS * 2]).strip()
                prefix = "… " if start else ""
                suffix = " …" if start + SNIPPET_WORDS * 2 < len(tokens) else ""
                return Markup("%s%s%s") % (prefix, marked(part, wanted), suffix)
    text = next((t for t in fields if t.strip()), "")
    tokens = _TOKEN.findall(text)
    part = "".join(tokens[:SNIPPET_WORDS * 2]).strip()
    return Markup("%s%s") % (marked(part, wanted), " …" if len(tokens) > SNIPPET_WORDS * 2 else "")


def title(sheet, query):
    return marked(sheet.title, set(stems(query or "")))
