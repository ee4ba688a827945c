"""Markdown that people write (a call's presentation, a practice sheet's sections), rendered to
HTML that can only be text and harmless structure.

Two locks, so that neither alone has to be perfect: markdown-it (CommonMark) with raw HTML off,
which escapes any tag typed and refuses javascript:/vbscript:/data: links; then nh3 (the Rust
ammonia sanitiser), which keeps only the tags and attributes below and http(s)/mailto links
— no script, style, event handler, SVG, iframe, form or image (a sheet's images are its chosen
attachments, each with its alternative text, never a Markdown image pointing anywhere)."""
import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def _image_as_text(self, tokens, idx, options, env):
    """A Markdown image shows its alternative text: no image is fetched from anywhere."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_PARSER.add_render_rule("image", _image_as_text)


def _shift_headings(tokens, offset):
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + offset)
            token.tag = f"h{level}"


def render(text, heading_offset=0):
    """``text`` (Markdown) as sanitised HTML; ``heading_offset`` pushes the writer's headings
    down under the page's own (2: a « # » becomes an h3 below the section's h2)."""
    tokens = _PARSER.parse(text or "")
    if heading_offset:
        _shift_headings(tokens, heading_offset)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    clean = nh3.clean(html, tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                      url_schemes=set(URL_SCHEMES), link_rel="nofollow noopener noreferrer",
                      filter_style_properties={"text-align"}, strip_comments=True)
    return Markup(clean)  # nosec B704 # sanitised by nh3 above, on top of markdown-it without raw HTML
