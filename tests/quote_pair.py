"""Two reports of the same two Lavrov statements, in English and in Russian (one a translation of
the other), and a hostile one whose quote carries markup: what the quote-group tests ingest."""

from __future__ import annotations

EN = {
    "title": "Lavrov expects talks with Washington in January",
    "text": (
        "Russian Foreign Minister Sergei Lavrov said on Thursday that Moscow expects the first round of security "
        "talks with the United States early next year.\n\n"
        '"The first round of talks with the Americans will take place in Geneva in January," Lavrov told reporters '
        "after meeting his Polish counterpart.\n\n"
        "He added that NATO must give Russia written guarantees that the alliance will not expand further east. "
        '"We will not wait forever for an answer from the alliance," Lavrov said.'
    ),
    "language": "en",
    "site": "wire.example",
    "published": "2021-12-23",
}
RU = {
    "title": "Лавров ожидает переговоров с Вашингтоном в январе",
    "text": (
        "Министр иностранных дел России Сергей Лавров заявил в четверг, что Москва ожидает первый раунд переговоров "
        "с США по безопасности в начале следующего года.\n\n"
        "«Первый раунд переговоров с американцами пройдет в Женеве в январе», — сказал Лавров журналистам после "
        "встречи с польским коллегой.\n\n"
        "Он добавил, что НАТО должно дать России письменные гарантии того, что альянс не будет расширяться на восток. "
        "«Мы не будем вечно ждать ответа от альянса», — заявил Лавров."
    ),
    "language": "ru",
    "site": "lenta.example",
    "published": "2021-12-23",
}
HOSTILE_QUOTE = "<script>alert('quote')</script> We will answer the alliance in writing"
HOSTILE = {
    "title": "Ferry operators warn of strikes on the islands",
    "text": (
        "The ferry operator Nordlink warned on Monday that crews could strike before the holidays.\n\n"
        f'"{HOSTILE_QUOTE}," Nordlink chief Pekka Virtanen told reporters in the harbour on Monday morning.\n\n'
        "Ferries between the islands carry about four thousand passengers a day in winter."
    ),
    "language": "en",
    "site": "<b>harbour</b>.example",
    "published": "2022-02-01",
}
