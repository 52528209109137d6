"""The short framing summary under ``crosswire show``: per outlet, when it first reported, its
most distinctive words and its most quoted voices (``show --json`` has the whole of it)."""

from __future__ import annotations

from rich.text import Text

from crosswire.cli import render
from crosswire.cli.render import plural, safe
from crosswire.service.framing import Framing

OUTLETS_SHOWN = 10
WORDS_SHOWN = 6


def print_framing(framing: Framing) -> None:
    if not framing.outlets:
        return
    render.out.print(Text("how outlets covered it:", style="bold"))
    if framing.by_country:
        countries = ", ".join(f"{safe(c, 8) or 'not listed'} ({n})" for c, n in framing.by_country)
        render.out.print(Text(f"  countries of the outlets: {countries}"))
    for o in framing.outlets[:OUTLETS_SHOWN]:
        where = f" {o.info.country}" if o.info and o.info.country else ""
        render.out.print(
            Text(
                f"  {safe(o.outlet, 60)}{safe(where, 4)} · {plural(o.articles, 'article')} · "
                f"first {(o.first or 'undated')[:10]}"
            )
        )
        if o.words:
            words = ", ".join(safe(w.word, 30) for w in o.words[:WORDS_SHOWN])
            render.out.print(Text(f"      stresses: {words} (against {o.against})", style="dim"))
        if o.voices:
            voices = ", ".join(f"{safe(v.name, 40)} {v.share:.0%}" for v in o.voices[:3])
            render.out.print(Text(f"      quotes: {voices}", style="dim"))
    if len(framing.outlets) > OUTLETS_SHOWN:
        more = plural(len(framing.outlets) - OUTLETS_SHOWN, "more outlet")
        render.out.print(Text(f"  and {more} (--json has all)", style="dim"))
