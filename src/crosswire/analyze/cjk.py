"""Chinese, Japanese and Korean text: digits and scale words set apart from the ideographs around
them, dates in the 年月日 pattern, and the foreign names Japanese writes in katakana.

These scripts write no spaces between words, so '共88件' or '2022年3月' is one word token to the
tokenizer and the number reader (which wants a number between word boundaries). The numbers, years
and dates are what such an article most plainly shares with its translation (its words and names
meet an English text in no key), so they are set apart before analysis. Japanese writes foreign
names in katakana (バイデン, ドナルド・トランプ): their romaji has the vowels Japanese adds, which the
consonant skeleton of ``name_key`` drops, so 'baiden' meets 'Biden' (with ン before p, b, m read
as m: 'toranpu' -> 'Trump'; and with r also read as l, Japanese having one sound for both:
'kurinton' -> 'Clinton'). A katakana run is a name candidate like a capitalized run in other
scripts; loanwords among them seldom meet a name's skeleton.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii

from crosswire.analyze.keys import name_key
from crosswire.types import Mention

CJK_LANGUAGES = frozenset({"ja", "zh", "ko"})
_IDEOGRAPHIC = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# Full-width ASCII (０-９, ％, ，, ．) -> ASCII.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGIT_GAP = re.compile(rf"(?<=\d)(?=[{_IDEOGRAPHIC}])|(?<=[{_IDEOGRAPHIC}])(?=\d)")
# A scale word right after a number ('1.5 万人') is its own word, so the number reader can see it.
_SCALE_WORD = re.compile(r"(?<=\d )(百万|百萬|[万萬亿億千])(?=[^\W\d_])")
_DATE = re.compile(r"(?<!\d)(\d{4}) ?年(?: ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?)?")
_YEARS = range(1800, 2200)
_KATAKANA = r"[\u30a1-\u30fa\u30fc]"
_KATAKANA_RUN = re.compile(rf"{_KATAKANA}{{2,}}(?:[・=]{_KATAKANA}{{2,}})*")
_NAME_SEPARATOR = re.compile(r"[・=]")
_NASAL = re.compile(r"n(?=[pbm])")
_PALATAL = re.compile(r"(sh|ch|j)iy(?=[aou])|(?<=[kgnhbpmr])i(?=y[aou])")
_MIN_SKELETON = 3
# The characters Chinese spells foreign names with (the Xinhua transliteration tables' most used):
# a name is a run of them on both sides of its middle dot ('迈克·约翰逊'), and the text around it
# (no spaces) ends where a character outside the set begins ('众议院议长迈克·约翰逊最近').
_TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德登迪蒂丁东杜多厄恩尔法凡菲费芬丰弗福富盖甘冈戈"
    "格根古哈海汉豪赫亨胡华霍基吉加贾杰金卡凯坎康柯科克肯库奎拉莱赖兰朗劳勒雷里利莉林琳隆卢鲁路伦罗洛马迈麦曼"
    "梅蒙米明莫默穆纳奈南内尼宁努诺帕潘佩彭皮普奇恰乔切琴丘萨塞桑瑟森沙尚舍施舒斯索苏塔泰坦汤特提廷托图瓦万旺"
    "威韦维温沃乌西希锡夏谢辛休雅亚扬耶伊因英尤约扎泽詹朱兹佐翰逊尼娜娅莎丽黛妮蕾芙代茨肖祖"
)
_NAME_DOT = re.compile(r"(?<=[\u4e00-\u9fff])[·•‧](?=[\u4e00-\u9fff])")
_GIVEN_CHARS = 4
_SURNAME_CHARS = 5


def is_cjk(language: str | None) -> bool:
    return language is not None and language.split("-")[0].lower() in CJK_LANGUAGES


def spaced(text: str) -> str:
    """``text`` with full-width ASCII folded and digits set apart from the ideographs around them."""
    text = _DIGIT_GAP.sub(" ", text.translate(_FULL_WIDTH))
    return _SCALE_WORD.sub(r"\1 ", text)


def find_dates(text: str, known: Iterable[Mention] = ()) -> list[Mention]:
    """Dates written 2022年, 2022年3月 or 2022年3月5日 (in a ``spaced`` text), at their precision,
    but for those inside a ``known`` date's surface (the date reader's)."""
    found: list[Mention] = []
    surfaces = [mention.surface for mention in known]
    for match in _DATE.finditer(text):
        if any(match.group(0) in surface for surface in surfaces):
            continue
        year, month, day = (int(g) if g else None for g in match.groups())
        if year not in _YEARS:
            continue
        key = f"{year}"
        if month is not None and 1 <= month <= 12:
            key += f"-{month:02d}"
            if day is not None and 1 <= day <= 31:
                key += f"-{day:02d}"
        found.append(Mention(key=key, surface=match.group(0), kind="date"))
    return found


def _romaji(katakana: str) -> str:
    """Romaji as a Latin spelling of the name would have it: the small ッ only doubles the next
    consonant ('マッシー' 'masshi', not 'matshi'), and a small ャ/ュ/ョ palatalizes the sound
    before it ('ジョ' 'jo', not 'jiyo')."""
    romaji = anyascii(katakana.replace("ッ", "")).lower()
    return _PALATAL.sub(r"\1", romaji)


def transliterated_names(text: str) -> list[Mention]:
    """Foreign names as Chinese writes them, given name and surname joined by a middle dot
    ('马特·罗森代尔'): the whole name and its surname, keyed by their pinyin's ``name_key`` (which
    meets the same name in other Chinese texts, not its Latin spelling: Chinese chooses its
    characters by sound, and their pinyin is far from the original letters)."""
    found: list[Mention] = []
    for dot in _NAME_DOT.finditer(text):
        start = dot.start()
        while start > max(dot.start() - _GIVEN_CHARS, 0) and text[start - 1] in _TRANSLITERATION:
            start -= 1
        end = dot.end()
        while end < min(dot.end() + _SURNAME_CHARS, len(text)) and text[end] in _TRANSLITERATION:
            end += 1
        if start == dot.start() or end - dot.end() < 2:
            continue
        surname = text[dot.end() : end]
        key = name_key(anyascii(surname).lower())
        if len(key) >= 2:
            whole = text[start:end]
            found.append(Mention(f"{name_key(anyascii(text[start : dot.start()]).lower())}_{key}", whole, "person"))
            found.append(Mention(key, surname, "person"))
    return found


def katakana_names(text: str) -> list[Mention]:
    """Names written in katakana: the whole run ('ドナルド・トランプ') and its last part ('トランプ'),
    keyed as ``name_key`` keys a Latin name, with r and with l; a last part with a skeleton too
    short to tell is left out."""
    found: list[Mention] = []
    for match in _KATAKANA_RUN.finditer(text):
        parts = _NAME_SEPARATOR.split(match.group(0))
        romaji = [_NASAL.sub("m", _romaji(part)) for part in parts]
        for spelled in {tuple(romaji), tuple(r.replace("r", "l") for r in romaji)}:
            keys = [name_key(r) for r in spelled]
            if len(parts) > 1 and all(keys):
                found.append(Mention("_".join(keys), match.group(0), "entity"))
            if len(keys[-1]) >= _MIN_SKELETON:
                found.append(Mention(keys[-1], parts[-1], "entity"))
    return found
