"""HTML loading: the page's main content as blocks, site chrome dropped, list numbering recovered.

- chrome: ``nav``/``header``/``footer``/``aside``/``form`` outside the main content, ARIA landmarks
  other than main, and elements whose class or id names navigation, breadcrumbs, menus, search,
  sharing, related links, downloads, cookie banners or site header/footer;
- the main content is ``<main>`` / ``[role=main]`` / the single ``<article>`` when there is one;
- every piece of text is kept, whether it sits in ``<p>`` or directly in a ``<div>``;
- ``<ol start="5">``, ``type="a"`` / ``"i"``, ``<li value>`` are turned into literal "5.", "(a)",
  "(i)" so numbered paragraphs and sub-items keep their numbers;
- ``<sup>`` becomes a footnote marker; a footnotes list becomes footnote definitions.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from assistant.ingest.docx import _format
from assistant.ingest.notes import LoadNotes

DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "button", "input", "select",
             "textarea", "canvas", "video", "audio", "object", "embed", "head", "title", "meta", "link"]
CHROME_TAGS = ["nav", "header", "footer", "aside", "form"]
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"}
RE_CHROME = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|sidebar|side-bar|topbar|top-bar|toolbar|"
    r"site-header|site-footer|masthead-site|footer|share|sharing|social|related|search|cookies?|"
    r"skip|skip-link|download|downloads|banner|pagination|tags|meta)($|[\s_-])",
    re.I,
)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "li", "ol", "ul", "dl", "dt",
              "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "figure", "figcaption",
              "address", "center", "body", "header", "footer", "details", "summary", "hr", "br"}
RE_FOOTNOTE_CONTAINER = re.compile(r"foot-?notes?|endnotes?|notes", re.I)


def _is_chrome(el: Tag, main: Tag | None) -> bool:
    inside_main = main is not None and (el is main or main in el.parents)
    if el.name in CHROME_TAGS and not inside_main:
        return True
    if (el.get("role") or "") in CHROME_ROLES:
        return True
    names = " ".join([*(el.get("class") or []), str(el.get("id") or "")])
    return bool(names and RE_CHROME.search(names)) and el.name not in ("main", "article", "body")


def _main(soup: BeautifulSoup) -> Tag | None:
    found = soup.find("main") or soup.find(role="main")
    articles = soup.find_all("article")
    if isinstance(found, Tag):
        inner = found.find_all("article")
        return inner[0] if len(inner) == 1 else found
    return articles[0] if len(articles) == 1 else None


class _Walker:
    """Emits one block per paragraph-level element or run of loose inline text."""

    def __init__(self, notes: LoadNotes) -> None:
        self.notes = notes
        self.out: list[str] = []
        self.inline: list[str] = []
        self.marker = ""  # the number of the list item whose text has not been emitted yet

    def flush(self, prefix: str = "") -> None:
        text = " ".join("".join(self.inline).split())
        self.inline = []
        if text:
            if not prefix and self.marker:
                # The first text of a list item gets the item's number, however deep in
                # <div>/<p>/<section> wrappers that text sits.
                prefix, self.marker = self.marker, ""
            self.out.append(f"{prefix}{text}" if prefix else text)

    def walk(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment / CDATA / doctype
                    self.inline.append(str(child))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, el: Tag) -> None:
        name = el.name or ""
        if name == "sup":
            self.inline.append(f"<sup>{el.get_text(strip=True)}</sup>")
        elif name == "br":
            self.inline.append(" ")
        elif name not in BLOCK_TAGS:
            self.walk(el)  # inline: a, span, em, strong, small, abbr …
            if name in ("small",):
                self.inline.append(" ")
        elif re.fullmatch(r"h[1-6]", name):
            self.flush()
            self.walk(el)
            self.flush("#" * int(name[1]) + " ")
        elif name in ("ol", "ul"):
            self.flush()
            self.list(el)
        elif name == "table":
            self.flush()
            self.table(el)
        elif name == "hr":
            self.flush()
        else:
            self.flush()
            self.walk(el)
            self.flush()

    def list(self, el: Tag) -> None:
        ordered = el.name == "ol"
        kind = str(el.get("type") or "1")
        footnotes = RE_FOOTNOTE_CONTAINER.search(" ".join([*(el.get("class") or []), str(el.get("id") or "")]))
        try:
            n = int(str(el.get("start") or 1)) - 1
        except ValueError:
            n = 0
        for li in el.find_all("li", recursive=False):
            value = li.get("value")
            n = int(str(value)) if value and str(value).isdigit() else n + 1
            if footnotes or str(li.get("id") or "").lower().startswith(("fn", "footnote")):
                marker = f"<sup>{n}</sup> "
            elif not ordered:
                marker = "• "
            else:
                marker = _ol_marker(n, kind)
                self.notes.numbered_by_list_markup += 1
            self.walk_item(li, marker)

    def walk_item(self, li: Tag, marker: str) -> None:
        """The item's own text is one block with its marker; nested lists and blocks follow it."""
        self.flush()
        self.marker = marker
        self.walk(li)
        self.flush()
        self.marker = ""  # an item without text emits nothing

    def table(self, el: Tag) -> None:
        rows = []
        for tr in el.find_all("tr"):
            cells = [" ".join(c.get_text(" ", strip=True).split()) for c in tr.find_all(["td", "th"])]
            if any(cells):
                rows.append("\t".join(cells))
        if rows:
            self.out.append("\n".join(rows))


def _ol_marker(n: int, kind: str) -> str:
    if kind == "a":
        return f"({_format(n, 'lowerLetter')}) "
    if kind == "A":
        return f"{_format(n, 'upperLetter')}. "
    if kind == "i":
        return f"({_format(n, 'lowerRoman')}) "
    if kind == "I":
        return f"{_format(n, 'upperRoman')}. "
    return f"{n}. "


# The labels a page's meta box gives the document's own details under ("UN symbol", "Published").
DECLARED_LABELS = {"symbol": "symbol", "un symbol": "symbol", "document symbol": "symbol", "date": "date",
                   "published": "date", "adopted": "date", "date of adoption": "date", "adopted by": "body",
                   "issuing body": "body", "issued by": "body", "body": "body"}
RE_LABELLED = re.compile(r"^\s*([A-Za-z][A-Za-z ]{2,20}?)\s*:\s*(\S.{0,80}?)\s*$")


def _declared(soup: BeautifulSoup) -> dict[str, str]:
    """The page's ``<title>`` and the symbol / date its meta box states (``<dt>``/``<dd>``,
    ``<th>``/``<td>``, "Symbol: …" items) — read before ``<head>`` and the chrome are dropped."""
    found: dict[str, str] = {}
    title = soup.find("title")
    if isinstance(title, Tag) and title.get_text(strip=True):
        found["title"] = " ".join(title.get_text(" ", strip=True).split())
    pairs: list[tuple[str, str]] = []
    for term in soup.find_all(["dt", "th"]):
        value = term.find_next_sibling(["dd", "td"])
        if isinstance(value, Tag):
            pairs.append((term.get_text(" ", strip=True), value.get_text(" ", strip=True)))
    for item in soup.find_all(["li", "p", "span", "div"]):
        if not item.find(True) and (m := RE_LABELLED.match(item.get_text(" ", strip=True))):
            pairs.append((m.group(1), m.group(2)))
    for name, stated in pairs:
        key = DECLARED_LABELS.get(" ".join(name.lower().rstrip(":").split()))
        if key and stated and key not in found:
            found[key] = " ".join(stated.split())
    return found


def load_html(source: str, notes: LoadNotes) -> str:
    """Parser-ready text of an HTML page."""
    soup = BeautifulSoup(source, "lxml")
    notes.declared = _declared(soup)
    for bad in soup(DROP_TAGS):
        bad.decompose()
    main = _main(soup)
    for el in list(soup.find_all(True)):
        if el.decomposed or el.parent is None:
            continue
        if _is_chrome(el, main):
            notes.chrome_removed += 1
            el.decompose()
    root = _main(soup) or soup.body or soup
    walker = _Walker(notes)
    walker.walk(root)
    walker.flush()
    return "\n\n".join(b for b in walker.out if b.strip())
