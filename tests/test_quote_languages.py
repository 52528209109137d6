"""Quote cues of the languages added after the first ones: for each, a direct quote with its
speaker after it and before it, reported speech ('said that'), an 'according to' phrase, a
pronoun that refers back, and sentences holding a cue that are no statement (an idiom, a
question). The sentences are written for these tests; each opens with a lead that names the
speaker in full, as a report does, so that the name finder has its evidence."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crosswire.analyze import analyze
from crosswire.analyze.quotes import find_statements
from crosswire.types import UNATTRIBUTED, Article, Mention, Quote


@dataclass(frozen=True)
class Language:
    lead: str  # names the speaker in full
    after: tuple[str, str, str]  # (text, quote, speaker as written): '"…," said X'
    before: tuple[str, str, str]  # 'X said: "…"'
    reported: tuple[str, str, str] | None  # 'X said that …'; None where the table cannot read it
    according: tuple[str, str, str] | None  # 'According to X, …'
    pronoun: tuple[str, int]  # two quotes, the second's speaker a pronoun or none: both X's
    none: tuple[str, ...]  # no statement


LANGUAGES = {
    "hu": Language(
        lead="Mike Pompeo amerikai külügyminiszter kedden Budapesten újságírókkal beszélt.",
        after=("„Jövőre megerősítjük a szövetséget” – mondta Pompeo.", "Jövőre megerősítjük a szövetséget", "Pompeo"),
        before=(
            "Pompeo azt mondta: „A kormány jövőre megerősíti a szövetséget.”",
            "A kormány jövőre megerősíti a szövetséget.",
            "Pompeo",
        ),
        reported=(
            "Pompeo kedden azt mondta, hogy a kormány megerősíti a szövetséget.",
            "a kormány megerősíti a szövetséget",
            "Pompeo",
        ),
        according=None,  # 'Pompeo szerint' follows its noun
        # the narrator after a bare dash, its subject dropped
        pronoun=(
            "„Jövőre megerősítjük a szövetséget” – mondta Pompeo.\n– Nincs más út az ország számára – tette hozzá.",
            2,
        ),
        none=(
            "Pompeo nem mondta, hogy a kormány megerősíti a szövetséget.",
            "Mondta Pompeo, hogy a kormány megerősíti a szövetséget?",
            "Úgy tűnik, hogy a kormány jövőre megerősíti a szövetséget.",
        ),
    ),
    "fa": Language(
        lead="محمد جواد ظریف وزیر امور خارجه ایران روز سه‌شنبه با خبرنگاران در تهران دیدار کرد.",
        after=("«ما گفتگو با اروپا را ادامه خواهیم داد»، ظریف گفت.", "ما گفتگو با اروپا را ادامه خواهیم داد", "ظریف"),
        before=("ظریف گفت: «ما گفتگو با اروپا را ادامه خواهیم داد.»", "ما گفتگو با اروپا را ادامه خواهیم داد.", "ظریف"),
        reported=(
            "ظریف روز سه‌شنبه گفت که ایران گفتگو با اروپا را ادامه خواهد داد.",
            "ایران گفتگو با اروپا را ادامه خواهد داد",
            "ظریف",
        ),
        according=(
            "به گفته ظریف، ایران گفتگو با اروپا را ادامه خواهد داد.",
            "ایران گفتگو با اروپا را ادامه خواهد داد",
            "ظریف",
        ),
        # 'he added:' and the statement with no quote marks
        pronoun=(
            "ظریف گفت: «ما گفتگو با اروپا را ادامه خواهیم داد.»\nوی افزود: هیچ راه دیگری برای کشور وجود ندارد.",
            2,
        ),
        none=(
            "او گفت‌وگوهای زیادی داشت که همه درباره اقتصاد کشور بود.",  # 'conversations', one word
            "در حالی که ایران گفتگو با اروپا را ادامه می‌دهد، آمریکا تحریم‌ها را افزایش داد.",
            "آیا ظریف گفت که ایران گفتگو با اروپا را ادامه خواهد داد؟",
        ),
    ),
    "el": Language(
        lead="Ο πρωθυπουργός Κυριάκος Μητσοτάκης μίλησε στους δημοσιογράφους στην Αθήνα.",
        after=(
            "«Θα μειώσουμε τους φόρους τον επόμενο χρόνο», είπε ο Μητσοτάκης.",
            "Θα μειώσουμε τους φόρους τον επόμενο χρόνο",
            "Μητσοτάκης",
        ),
        before=(
            "Ο Μητσοτάκης δήλωσε: «Η κυβέρνηση θα μειώσει τους φόρους τον επόμενο χρόνο.»",
            "Η κυβέρνηση θα μειώσει τους φόρους τον επόμενο χρόνο.",
            "Μητσοτάκης",
        ),
        reported=(
            "Ο Μητσοτάκης δήλωσε την Τρίτη ότι η κυβέρνηση θα μειώσει τους φόρους.",
            "η κυβέρνηση θα μειώσει τους φόρους",
            "Μητσοτάκης",
        ),
        according=(
            "Σύμφωνα με τον Μητσοτάκη, η κυβέρνηση θα μειώσει τους φόρους τον επόμενο χρόνο.",
            "η κυβέρνηση θα μειώσει τους φόρους τον επόμενο χρόνο",
            "Μητσοτάκη",
        ),
        # a dropped subject ('πρόσθεσε', he added)
        pronoun=("«Θα μειώσουμε τους φόρους», είπε ο Μητσοτάκης. «Δεν υπάρχει άλλος δρόμος για τη χώρα», πρόσθεσε.", 2),
        none=(
            "Με άλλα λόγια, η κυβέρνηση δεν είπε τίποτα για τους φόρους που θα μειώσει.",  # 'in other words'
            "Ο Μητσοτάκης δεν είπε ότι η κυβέρνηση θα μειώσει τους φόρους.",  # what was not said
            "Είπε ο Μητσοτάκης ότι η κυβέρνηση θα μειώσει τους φόρους?",
        ),
    ),
    "bg": Language(
        lead="Премиерът Бойко Борисов говори с журналисти в София във вторник.",
        after=("„Ще намалим данъците догодина“, каза Борисов.", "Ще намалим данъците догодина", "Борисов"),
        before=(
            "Борисов заяви: „Правителството ще намали данъците догодина.“",
            "Правителството ще намали данъците догодина.",
            "Борисов",
        ),
        reported=(
            "Борисов заяви във вторник, че правителството ще намали данъците.",
            "правителството ще намали данъците",
            "Борисов",
        ),
        according=(
            "Според Борисов правителството ще намали данъците догодина.",
            "правителството ще намали данъците догодина",
            "Борисов",
        ),
        pronoun=("„Ще намалим данъците догодина“, каза Борисов.\n– Няма друг път за страната – добави той.", 2),
        none=(
            "С други думи, правителството не каза нищо за данъците, които ще намали.",  # 'in other words'
            "Каза ли Борисов, че правителството ще намали данъците?",
            "Борисов не каза, че правителството ще намали данъците.",
        ),
    ),
    "ro": Language(
        lead="Premierul Ludovic Orban a vorbit marți cu jurnaliștii la București.",
        after=("„Vom reduce taxele anul viitor”, a declarat Orban.", "Vom reduce taxele anul viitor", "Orban"),
        before=(
            "Orban a spus: „Guvernul va reduce taxele anul viitor.”",
            "Guvernul va reduce taxele anul viitor.",
            "Orban",
        ),
        reported=("Orban a declarat marți că guvernul va reduce taxele.", "guvernul va reduce taxele", "Orban"),
        according=(
            "Potrivit lui Orban, guvernul va reduce taxele anul viitor.",
            "guvernul va reduce taxele anul viitor",
            "Orban",
        ),
        pronoun=(
            "„Vom reduce taxele anul viitor”, a declarat Orban. „Nu există altă cale pentru țară”, a adăugat el.",
            2,
        ),
        none=(
            "Cu alte cuvinte, guvernul nu a spus nimic despre taxele pe care le va reduce.",  # 'in other words'
            "A spus Orban că guvernul va reduce taxele?",
            "Datele publicate vineri arată că guvernul va reduce taxele anul viitor.",  # 'data show'
        ),
    ),
    "id": Language(
        lead="Presiden Joko Widodo berbicara kepada wartawan di Istana Negara, Jakarta.",
        after=(
            '"Kami akan menurunkan pajak tahun depan," kata Jokowi.',
            "Kami akan menurunkan pajak tahun depan",
            "Jokowi",
        ),
        before=(
            'Widodo mengatakan: "Pemerintah akan menurunkan pajak tahun depan."',
            "Pemerintah akan menurunkan pajak tahun depan.",
            "Widodo",
        ),
        reported=(
            "Widodo mengatakan pada hari Selasa bahwa pemerintah akan menurunkan pajak.",
            "pemerintah akan menurunkan pajak",
            "Widodo",
        ),
        according=(
            "Menurut Widodo, pemerintah akan menurunkan pajak tahun depan.",
            "pemerintah akan menurunkan pajak tahun depan",
            "Widodo",
        ),
        # 'ujarnya', he said: the pronoun is in the verb
        pronoun=('"Kami akan menurunkan pajak," kata Jokowi.\n"Tidak ada jalan lain bagi negara ini," ujarnya.', 2),
        none=(
            "Dengan kata lain, pemerintah akan menurunkan pajak tahun depan.",  # 'in other words'
            "Apakah Widodo mengatakan bahwa pemerintah akan menurunkan pajak?",
            "Widodo tidak mengatakan bahwa pemerintah akan menurunkan pajak.",
        ),
    ),
    "sv": Language(
        lead="Statsminister Magdalena Andersson talade med journalister i Stockholm på tisdagen.",
        after=("– Vi ska sänka skatterna nästa år, säger Andersson.", "Vi ska sänka skatterna nästa år", "Andersson"),
        before=(
            "Andersson sa: ”Regeringen ska sänka skatterna nästa år.”",
            "Regeringen ska sänka skatterna nästa år.",
            "Andersson",
        ),
        reported=(
            "Andersson sa på tisdagen att regeringen ska sänka skatterna.",
            "regeringen ska sänka skatterna",
            "Andersson",
        ),
        according=(
            "Enligt Andersson ska regeringen sänka skatterna nästa år.",
            "ska regeringen sänka skatterna nästa år",
            "Andersson",
        ),
        pronoun=(
            "– Vi ska sänka skatterna nästa år, säger Andersson.\n– Det finns ingen annan väg för landet, säger hon.",
            2,
        ),
        none=(
            "Sa Andersson verkligen att regeringen ska sänka skatterna?",
            "Andersson sa inte att regeringen ska sänka skatterna.",
            "Det är så att säga en fråga om skatterna nästa år.",  # 'so to speak'
        ),
    ),
    "ko": Language(
        lead="문재인 대통령은 청와대에서 기자들과 만났다.",
        # the quotative particle on the closing mark ('”라고') cues the quote
        after=(
            "“우리는 내년에 세금을 반드시 낮출 것입니다”라고 문 대통령이 말했다.",
            "우리는 내년에 세금을 반드시 낮출 것입니다",
            "문",
        ),
        before=(
            "문 대통령은 “우리는 내년에 세금을 반드시 낮출 것입니다”고 강조했다.",
            "우리는 내년에 세금을 반드시 낮출 것입니다",
            "문",
        ),
        # reported speech ends in a particle on its verb ('낮추겠다고 밝혔다'); 'X에 따르면' follows its noun
        reported=None,
        according=None,
        pronoun=(
            "“우리는 내년에 세금을 낮출 것입니다”라고 문 대통령이 말했다. 그는 “다른 길은 전혀 없습니다”라고 덧붙였다.",
            2,
        ),
        none=("이 영화는 “우리 모두의 행복한 대한민국” 캠페인의 일부다.",),  # a title, no cue
    ),
    "nl": Language(
        lead="Premier Mark Rutte sprak dinsdag in Den Haag met journalisten.",
        after=(
            '"We gaan de lasten verlichten", zei Rutte tegen journalisten.',
            "We gaan de lasten verlichten",
            "Rutte",
        ),
        before=(
            'Rutte zei: "De regering gaat de belastingen volgend jaar verlagen."',
            "De regering gaat de belastingen volgend jaar verlagen.",
            "Rutte",
        ),
        reported=(
            "Premier Rutte zei dinsdag dat de regering de belastingen gaat verlagen.",
            "de regering de belastingen gaat verlagen",
            "Rutte",
        ),
        # no comma after the name: the verb of the inverted clause follows it
        according=(
            "Volgens Rutte gaat de regering de belastingen volgend jaar verlagen.",
            "gaat de regering de belastingen volgend jaar verlagen",
            "Rutte",
        ),
        pronoun=('"We gaan de lasten verlichten", zei Rutte. "Er is geen andere weg", voegde hij eraan toe.', 2),
        none=(
            "Dat wil zeggen dat de regering de belastingen volgend jaar gaat verlagen.",  # 'that is to say'
            "Zei Rutte echt dat de regering de belastingen gaat verlagen?",
            "Het boek dat Rutte schreef over het kabinet gaat over de belastingen.",  # a relative 'dat'
        ),
    ),
    "tr": Language(
        lead="Hazine ve Maliye Bakanı Berat Albayrak, Ankara'da gazetecilerle görüştü.",
        after=('"Vergileri gelecek yıl düşüreceğiz" dedi Albayrak.', "Vergileri gelecek yıl düşüreceğiz", "Albayrak"),
        # the verb closes the clause; its subject stands before the quote
        before=(
            'Albayrak, "Vergileri gelecek yıl mutlaka düşüreceğiz" ifadelerini kullandı.',
            "Vergileri gelecek yıl mutlaka düşüreceğiz",
            "Albayrak",
        ),
        # reported speech is a nominalized clause before the verb ('düşürüleceğini söyledi'), and
        # 'according to' follows its noun ('Albayrak'a göre'): neither has a word a table can name
        reported=None,
        according=None,
        pronoun=('Albayrak, "Vergileri gelecek yıl düşüreceğiz" dedi. "Başka bir yol yok bizim için" diye ekledi.', 2),
        none=(
            'Film "Bir Zamanlar Anadolu\'da Yaşayanlar" adıyla gösterildi ve çok konuşuldu.',  # a title
            'Bakan "vergi indirimi yapılacak mı" sorusunu yanıtsız bıraktı.',  # a question, no cue
        ),
    ),
    "ar": Language(
        lead="التقى وزير الخارجية الروسي سيرغي لافروف بالصحفيين في موسكو.",
        after=("«سنواصل الحوار مع الغرب»، قال لافروف.", "سنواصل الحوار مع الغرب", "لافروف"),
        before=(
            "وقال لافروف: «سنواصل الحوار مع الغرب في العام المقبل».",
            "سنواصل الحوار مع الغرب في العام المقبل",
            "لافروف",
        ),
        reported=(
            "وقال لافروف يوم الاثنين إن موسكو ستعقد ثلاث جولات من المحادثات.",
            "موسكو ستعقد ثلاث جولات من المحادثات",
            "لافروف",
        ),
        # the Arabic comma closes the phrase
        according=(
            "ووفقا للافروف، ستعقد موسكو ثلاث جولات من المحادثات.",
            "ستعقد موسكو ثلاث جولات من المحادثات",
            "للافروف",
        ),
        # 'and he added that': no subject
        pronoun=(
            "وقال لافروف: «سنواصل الحوار مع الغرب في العام المقبل».\nوأضاف أن موسكو ستعقد ثلاث جولات من المحادثات.",
            2,
        ),
        none=(
            "هل قال الوزير إن موسكو ستعقد ثلاث جولات من المحادثات؟",  # a question
            "وقال الوزير بعد أن وصل إلى المطار في ساعة متأخرة من الليل.",  # 'after' before the conjunction
            "يجب أن نعمل معا من أجل مستقبل أفضل لأطفالنا.",  # 'must': a conjunction with no speech verb
        ),
    ),
    "pt": Language(
        lead="O ministro das Finanças Fernando Haddad falou com jornalistas em Brasília.",
        after=(
            '"Vamos reduzir os impostos no próximo ano", disse Haddad.',
            "Vamos reduzir os impostos no próximo ano",
            "Haddad",
        ),
        before=(
            'Haddad afirmou: "O governo não vai aumentar os impostos neste ano."',
            "O governo não vai aumentar os impostos neste ano.",
            "Haddad",
        ),
        reported=(
            "Haddad disse na terça-feira que o governo vai reduzir os impostos.",
            "o governo vai reduzir os impostos",
            "Haddad",
        ),
        according=(
            "Segundo Haddad, o governo vai reduzir os impostos no próximo ano.",
            "o governo vai reduzir os impostos no próximo ano",
            "Haddad",
        ),
        pronoun=('"Vamos reduzir os impostos", disse Haddad.\n"Não há outro caminho para o país", acrescentou ele.', 2),
        none=(
            "Isso quer dizer que o governo vai reduzir os impostos no próximo ano.",  # 'that is to say'
            "O problema diz respeito ao orçamento que o governo apresentou ontem.",  # 'concerns'
            "O ministro Haddad perguntou se o governo vai reduzir os impostos no próximo ano?",
            # the verb opens a clause: no tail attribution of what comes before its comma
            "O ex-presidente Lula, durante um discurso na frente da sede em Curitiba, anunciou que vai ao ABC.",
        ),
    ),
}


def _statements(text: str, language: str) -> tuple[Quote, ...]:
    found = analyze(Article(id="t", source="test", title=None, text=text, language=language, published=None))
    for quote in found.statements:
        assert text[quote.start : quote.end] == quote.text
    return found.statements


def _with_lead(language: str, text: str) -> tuple[Quote, ...]:
    return _statements(f"{LANGUAGES[language].lead}\n{text}", language)


CASES = [
    (language, case)
    for language in sorted(LANGUAGES)
    for case in ("after", "before", "reported", "according")
    if getattr(LANGUAGES[language], case) is not None
]


@pytest.mark.parametrize(("language", "case"), CASES)
def test_a_statement_and_its_speaker(language: str, case: str) -> None:
    text, statement, speaker = getattr(LANGUAGES[language], case)
    found = _with_lead(language, text)
    assert [(q.text, q.speaker_surface) for q in found] == [(statement, speaker)]
    assert found[0].kind == ("reported" if case in ("reported", "according") else "direct")


# Arabic opens its clause with the verb: what follows it, up to the conjunction, is its subject.
# A noun there, or right before the verb, is a subject the text does not name ('sources said',
# 'predictions say'), not the minister named earlier in the sentence; a title before a name is not.
ARABIC_SUBJECTS = [
    ("وبعد أن التقى لافروف نظيره التركي، قالت مصادر مطلعة إن موسكو ستعقد ثلاث جولات من المحادثات.", ""),
    ("والتقى لافروف نظيره التركي، وذكرت قناة محلية أن موسكو ستعقد ثلاث جولات من المحادثات.", ""),
    ("ويلتقي لافروف نظيره التركي مع وجود ترجيحات تقول إن موسكو ستعقد ثلاث جولات من المحادثات.", ""),
    ("وقال وزير الخارجية الروسي سيرغي لافروف الاثنين إن موسكو ستعقد ثلاث جولات من المحادثات.", "سيرغي لافروف"),
    ("وأكد الوزير لافروف أمس أن موسكو ستعقد ثلاث جولات من المحادثات.", "لافروف"),
]


@pytest.mark.parametrize(("text", "speaker"), ARABIC_SUBJECTS)
def test_an_arabic_verb_is_followed_by_its_subject(text: str, speaker: str) -> None:
    found = _with_lead("ar", text)
    assert [(q.text, q.speaker_surface) for q in found] == [("موسكو ستعقد ثلاث جولات من المحادثات", speaker)]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_pronoun_refers_back_to_the_speaker(language: str) -> None:
    text, count = LANGUAGES[language].pronoun
    found = _with_lead(language, text)
    speaker = LANGUAGES[language].after[2]
    assert len(found) == count and all(q.speaker_surface == speaker or not speaker for q in found)
    assert {q.speaker for q in found} == {found[0].speaker} and found[0].speaker_surface == speaker


def test_a_dutch_speaker_after_an_inverted_verb() -> None:
    found = _with_lead("nl", "Het spel komt in 2020 uit, al benadrukt Rutte wel dat het DNA van de studio erin zit.")
    assert [(q.text, q.speaker_surface) for q in found] == [("het DNA van de studio erin zit", "Rutte")]


def test_a_statement_after_a_speech_verb_and_a_colon_without_quote_marks() -> None:
    """'ظریف در این دیدار تصریح کرد: …' (Zarif stated at this meeting: …), the light verb 'کرد'
    between the cue and the colon; a colon before quote marks leaves the quote to be read as one."""
    found = _with_lead("fa", "ظریف در این دیدار تصریح کرد: ایران گفتگو با اروپا را ادامه خواهد داد.")
    assert [(q.text, q.kind, q.cue) for q in found] == [
        ("ایران گفتگو با اروپا را ادامه خواهد داد", "reported", "تصریح")
    ]
    english = _statements("Lavrov said: Moscow will hold three rounds of talks next year.", "en")
    assert [(q.text, q.kind) for q in english] == [("Moscow will hold three rounds of talks next year", "reported")]


def test_a_hungarian_name_in_an_oblique_case_is_no_speaker() -> None:
    """'mondta az Euronewsnak' (said to Euronews): the dative name is the listener, not the
    speaker, even where the analysis listed it as a name."""
    text = "„Jövőre megerősítjük a szövetséget” – mondta az Euronewsnak egy diplomata."
    entities = [Mention(key="org:euronews", surface="Euronewsnak", kind="org")]
    assert [q.speaker for q in find_statements(text, "hu", entities)] == [UNATTRIBUTED]
    named = "„Jövőre megerősítjük a szövetséget” – közölte az Euronews pénteken."
    entities = [Mention(key="org:euronews", surface="Euronews", kind="org")]
    assert [q.speaker for q in find_statements(named, "hu", entities)] == ["org:euronews"]


def test_a_capitalized_adjective_of_the_subject_is_no_speaker() -> None:
    """Greek and Dutch capitalize adjectives of peoples and places: 'ο Τούρκος πρόεδρος' (the
    Turkish president), 'de Japanse televisie' (Japanese television) name no one."""
    greek = _with_lead("el", "«Θα μειώσουμε τους φόρους τον επόμενο χρόνο», ανέφερε ο Τούρκος πρόεδρος.")
    assert [(q.text, q.speaker) for q in greek] == [("Θα μειώσουμε τους φόρους τον επόμενο χρόνο", UNATTRIBUTED)]
    greek = _with_lead("el", "Ο Τούρκος πρόεδρος είπε ότι η κυβέρνηση θα μειώσει τους φόρους.")
    assert [q.speaker for q in greek] == [UNATTRIBUTED]
    dutch = _with_lead("nl", "Een programma op de Japanse televisie meldde dat veel bedrijven brillen verbieden.")
    assert [q.speaker for q in dutch] == [UNATTRIBUTED]


@pytest.mark.parametrize(
    ("language", "text"), [(language, text) for language in sorted(LANGUAGES) for text in LANGUAGES[language].none]
)
def test_no_statement(language: str, text: str) -> None:
    assert _with_lead(language, text) == ()
