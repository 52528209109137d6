"""Regions named by an adjective: 'Харьковская область', 'Омский район', 'Одеська область'.

Russian and Ukrainian name most regions, districts and territories by an adjective before the
word for the unit. Read as names, those adjectives became keys of no kind in particular ('hrkvsk'),
never places, so reports from different regions (the weather in the Omsk and the Murmansk
regions, thefts in the Tambov and the Ulyanovsk regions) could not be told apart by where they
happened (``crosswire.cluster.specific.elsewhere``). A region is keyed as its centre, so that it
meets the city in other reports and other languages: the gazetteer's key when it knows the city
('Харьковская' -> 'kharkiv', as 'Kharkiv' and 'Харків'), else the city's name key when the
tagger knows the city as a place ('Тамбовская' -> the key of 'Тамбов'), else the adjective's own
key ('Бондарский район').
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from crosswire.analyze.gazetteer import gazetteer
from crosswire.analyze.keys import name_key
from crosswire.analyze.morphology import Word, morphology
from crosswire.analyze.names import name_form
from crosswire.analyze.text import Token
from crosswire.types import Mention

# The words for a region, a district, a territory and a republic (lemmas).
UNITS = {
    "ru": frozenset({"область", "край", "район", "округ", "республика"}),
    "uk": frozenset({"область", "край", "район", "округ", "республіка"}),
}
# Endings of a place's adjective (lemmas: masculine nominative): what makes a word before a
# region's name one.
_PLACE_ADJECTIVES = ("ський", "цький", "ский", "цкий")
# Where the city's name may end in it, longest first: what is left, with one of ``_CITY_ENDINGS``,
# may be the city ('харьков|ский', 'омск|ий', 'одес|ький' + а).
_ADJECTIVE_ENDINGS = (*_PLACE_ADJECTIVES, "ький", "кий", "ий")
_CITY_ENDINGS = ("", "а", "ь", "я")
_MIN_BASE = 3


def region_places(
    tokens: Sequence[Token], words: Sequence[Word | None], covered: set[int], language: str | None
) -> tuple[list[Mention], set[int]]:
    """(places, the token positions they take) for each capitalized place adjective directly
    before a word for a region ('Харьковской области'), outside ``covered``."""
    units = UNITS.get(language or "")
    places: list[Mention] = []
    taken: set[int] = set()
    if units is None:
        return places, taken
    for i in range(len(tokens) - 1):
        word, unit = words[i], words[i + 1]
        token = tokens[i]
        if word is None or unit is None or i in covered or i + 1 in covered or i in taken:
            continue
        if not token.capitalized or token.all_caps or unit.lemma not in units or not tokens[i + 1].glued:
            continue
        if not word.lemma.endswith(_PLACE_ADJECTIVES):
            continue
        assert language is not None
        key, country = _centre(word.lemma, language) or (name_key(name_form(token.text, word, language)), None)
        surface = f"{token.text} {tokens[i + 1].text}"
        places.append(Mention(key, surface, "place"))
        if country and country != key:
            places.append(Mention(country, surface, "place"))
        taken.update((i, i + 1))
    return places, taken


@lru_cache(maxsize=4096)
def _centre(adjective: str, language: str) -> tuple[str, str | None] | None:
    """(key, country) of the city an adjective names, if the gazetteer or the tagger knows it."""
    cities = [
        adjective[: -len(ending)] + city
        for ending in _ADJECTIVE_ENDINGS
        if adjective.endswith(ending) and len(adjective) - len(ending) >= _MIN_BASE
        for city in _CITY_ENDINGS
    ]
    for city in cities:
        entry = gazetteer().place(city, language)
        if entry is not None:
            return entry.key, entry.country
    for city in cities:
        word = morphology().word(language, city.capitalize())
        if word.name_kind == "place" and word.name_lemma == city:
            return name_key(name_form(city, word, language)), None
    return None
