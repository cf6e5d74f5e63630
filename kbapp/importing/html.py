"""Saved forum pages (.html/.htm): the page laid out as text, then read as a text dump.

A real HTML parser (selectolax, on the Lexbor engine) builds the tree; scripts, styles,
navigation and forms are dropped; block elements become the line breaks the text-dump
parser reads: a line per block, a blank line between paragraphs, two between posts.
"""

from __future__ import annotations

import dataclasses
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kbapp.importing.text import parse_text_dump
from kbapp.importing.types import ParsedThread, ParseError

DROPPED = (
    "head, script, style, noscript, template, nav, aside, form, button, svg, iframe, "
    "select, textarea, input, object, embed, canvas, [hidden], [aria-hidden=true], "
    "[role=navigation], [role=banner], [role=contentinfo], [role=complementary]"
)
# Page-wide headers and footers go; an article's own header holds its author.
PAGE_FURNITURE = "header, footer"
AUTHOR = "[itemprop=author], [rel=author], .author, .username, .user-name, header a, header strong"
LINE, PARAGRAPH, POST = 1, 2, 3
BREAKS = {
    **dict.fromkeys(("article", "section", "h1", "h2", "h3", "h4", "h5", "h6", "hr"), POST),
    **dict.fromkeys(("p", "blockquote", "pre", "ul", "ol", "table", "dl", "figure"), PARAGRAPH),
    **dict.fromkeys(("div", "br", "li", "tr", "dd", "dt", "main", "body", "header"), LINE),
    **dict.fromkeys(("footer", "address", "figcaption", "caption", "details"), LINE),
}
SPACES = re.compile(r"[ \t\r\n\f\v]+")
TITLE_SUFFIX = re.compile(r"^(?P<title>.+?)\s+[-|–—]\s+(?P<site>[^-|–—]{1,80})$")


def page_text(root: LexborNode, authors: dict[int, str]) -> str:
    """The tree's text with its blocks as line breaks; iterative, so deep nesting is fine."""
    out: list[str | int] = []
    stack: list[tuple[LexborNode, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        brk = BREAKS.get(node.tag, 0)
        if not entering:
            out.append(brk)
            continue
        if node.tag == "-text":
            out.append(SPACES.sub(" ", node.text_content or ""))
            continue
        if brk:
            out.append(brk)
            stack.append((node, False))
        if name := authors.get(node.mem_id):
            out += [f"Written by {name}", LINE]
        children = []
        child = node.child
        while child is not None:
            children.append((child, True))
            child = child.next
        stack.extend(reversed(children))
    return layout(out)


def layout(pieces: list[str | int]) -> str:
    """Join text pieces; a run of breaks becomes the strongest of them."""
    lines: list[str] = []
    current, pending = "", 0
    for piece in pieces:
        if isinstance(piece, int):
            pending = max(pending, piece)
        elif not piece.strip():
            current += " " if current else ""
        else:
            if pending and current.strip():
                lines.append(current.strip())
                lines += [""] * (pending - 1)
                current = ""
            pending = 0
            current += piece
    if current.strip():
        lines.append(current.strip())
    return "\n".join(lines)


def take_authors(tree: LexborHTMLParser) -> dict[int, str]:
    """Each post's author, by the post's node; the post's header (dates, badges, buttons)
    goes, the author coming back as the "Written by" line the text-dump parser knows."""
    authors = {}
    for article in tree.css("article"):
        author = article.css_first(AUTHOR) or article.css_first("header")
        if author is not None:
            authors[article.mem_id] = SPACES.sub(" ", author.text()).strip()
            author.decompose()
        if (header := article.css_first("header")) is not None:
            header.decompose()
    return authors


def drop_furniture(tree: LexborHTMLParser) -> None:
    for node in tree.css(DROPPED):
        node.decompose()
    for node in tree.css(PAGE_FURNITURE):
        parent, in_article = node.parent, False
        while parent is not None and not in_article:
            in_article, parent = parent.tag == "article", parent.parent
        if not in_article:
            node.decompose()


def title_and_site(tree: LexborHTMLParser) -> tuple[str, str]:
    """The browser title split into the thread's title and the site ("Knee pain - Forum")."""
    node = tree.css_first("title")
    text = SPACES.sub(" ", node.text() if node else "").strip()
    site = tree.css_first('meta[property="og:site_name"]')
    site_name = (site.attributes.get("content") or "").strip() if site else ""
    if m := TITLE_SUFFIX.match(text):
        return m["title"], site_name or m["site"].strip()
    return text, site_name


def parse_html(html: str) -> ParsedThread:
    tree = LexborHTMLParser(html)
    title, site = title_and_site(tree)
    drop_furniture(tree)
    authors = take_authors(tree)
    body = page_text(tree.body, authors) if tree.body is not None else ""
    if not body.strip():
        raise ParseError("no thread text found in the page (only markup and page furniture)")
    has_heading = tree.css_first("h1") is not None
    text = body if has_heading or not title else f"{title}\n\n{body}"
    parsed = parse_text_dump(text)
    return dataclasses.replace(parsed, community=parsed.community or site[:120])
