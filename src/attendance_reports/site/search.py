"""The site's search: its index (``search-index.js``: every page's title, address and
keywords; the schools in a compact list, a national site has 21,000) and its page."""

from __future__ import annotations

import json
from pathlib import Path

from attendance_reports.render.engines import pandoc as pandoc_engine


def search_index(entries: list[tuple[str, str, str, int, dict]]) -> str:
    """search-index.js: every page as {t: title, u: URL, k: keywords, r: rank}, except the
    named schools, which go in a compact list (a national site has 21,000 of them):
    ``SEARCH_SCHOOLS = {a: [LA names], p: [phases], s: [[URN, name, town, LA, phase,
    keywords], ...]}`` (LA and phase as positions in their lists), in URN order. Titles are
    data, shown with textContent; '<' is escaped all the same so the file stays inert even if
    someone inlines it in a page."""
    items, schools = [], []
    for slug, title, keywords, rank, card in entries:
        if slug.startswith("school/") and card:
            schools.append((slug[len("school/") :], card, keywords))
            continue
        item = {"t": title, "u": f"{slug}.html", "k": keywords, "r": rank}
        if card.get("d"):
            item["d"] = card["d"]
        items.append(item)
    las = sorted({card["a"] for _, card, _ in schools})
    phases = sorted({card["p"] for _, card, _ in schools})
    rows = [
        [
            urn,
            card["n"],
            card["w"],
            las.index(card["a"]),
            phases.index(card["p"]),
            " ".join(w for w in keywords.split() if w.isdigit() and w != urn),  # URNs, LAESTABs
        ]
        for urn, card, keywords in sorted(schools, key=lambda s: (len(s[0]), s[0]))
    ]
    text = json.dumps(items, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    compact = json.dumps(
        {"a": las, "p": phases, "s": rows}, ensure_ascii=False, separators=(",", ":")
    ).replace("<", "\\u003c")
    return f"window.SEARCH_INDEX = {text};\nwindow.SEARCH_SCHOOLS = {compact};\n"


def search_body() -> str:
    return (pandoc_engine.theme_dir() / "search.md").read_text(encoding="utf-8")


def render_search(source_dir: Path, stage_dir: Path, metadata: dict) -> None:
    """search.html (pandoc engine): the page is the same for every build; the index is data."""
    source = source_dir / "search.qmd"
    source.write_text("---\ntitle: Search\n---\n" + search_body(), encoding="utf-8")
    pandoc_engine.render_page(source, stage_dir / "search.html", metadata)
