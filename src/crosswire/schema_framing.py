"""The JSON shape of a story's framing (``show --json``'s and the API story's ``framing``; README,
"Output contracts"). Apart from ``crosswire.schema`` only so that it grows on its own."""

from __future__ import annotations

from typing import Any

from crosswire.outlets import Outlet
from crosswire.service.framing import Framing, OutletFraming


def _info_json(info: Outlet) -> dict[str, str]:
    return {name: getattr(info, name) for name in ("site", "country", "language", "owner", "notes")}


def _outlet_json(o: OutletFraming) -> dict[str, Any]:
    info = o.info
    return {
        "outlet": o.outlet,
        "site": o.site,
        "articles": o.articles,
        "languages": [{"language": lang, "articles": n} for lang, n in o.languages],
        "first_published": o.first,
        "compared_with": o.against or None,
        "distinctive_words": [
            {"word": w.word, "key": w.key, "z": round(w.z, 3), "count": w.count, "rest_count": w.rest} for w in o.words
        ],
        "quotes": o.quotes,
        "voices": [
            {"speaker": v.speaker, "name": v.name, "quotes": v.quotes, "share": round(v.share, 3)} for v in o.voices
        ],
        "outlet_info": None if info is None else _info_json(info),
    }


def framing_json(f: Framing) -> dict[str, Any]:
    return {
        "articles": f.articles,
        "sample": f.sample,
        "headlines": [
            {
                "language": lang,
                "items": [
                    {"article_id": h.article_id, "outlet": h.outlet, "published": h.published, "headline": h.headline}
                    for h in items
                ],
            }
            for lang, items in f.headlines
        ],
        "outlets": [_outlet_json(o) for o in f.outlets],
        "timeline": [
            {"day": day, "languages": dict(counts), "articles": sum(n for _, n in counts)} for day, counts in f.days
        ],
        "undated": f.undated,
        "by_language": [{"language": lang, "articles": n} for lang, n in f.by_language],
        "by_country": [{"country": c or None, "articles": n} for c, n in f.by_country],
    }
