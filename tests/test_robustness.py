"""Hostile and broken inputs through a real ingest into a real SQLite file: each gets a clear
rejection or a flagged article, and never stops the run."""

from __future__ import annotations

from pathlib import Path

from crosswire.service import ingest_paths
from crosswire.settings import Settings
from crosswire.store import SQLiteStore

RU = (
    "Министр иностранных дел России Сергей Лавров заявил, что переговоры с США о гарантиях "
    "безопасности начнутся в январе в Женеве, а затем продолжатся в Брюсселе и Вене."
)


def test_a_folder_of_bad_inputs(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(f"Переговоры в Женеве\n\n{RU}\n", encoding="utf-8")
    (folder / "huge.html").write_bytes(b"<html><body><p>" + b"a " * (26 * 1024 * 1024) + b"</p></body></html>")
    (folder / "nested.html").write_text("<div>" * 20000 + f"<p>{RU}</p>" + "</div>" * 20000)
    (folder / "truncated.html").write_text(f"<html><head><title>Переговоры</title></head><body><p>{RU}</p><p>Ещё")
    (folder / "wrong-charset.html").write_bytes(
        f'<html><head><meta charset="utf-8"></head><body><article><p>{RU}</p></article></body></html>'.encode("cp1251")
    )
    (folder / "mixed.txt").write_bytes(RU.encode("utf-8") + b"\n\n" + RU.encode("cp1251") + b"\n")
    (folder / "mojibake.txt").write_text(RU.encode("utf-8").decode("cp1251", errors="replace"), encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_text("\n\n")
    (folder / "script.html").write_text(f"<html><body><script>alert(1)</script><p onclick='x()'>{RU}</p></body></html>")

    store = SQLiteStore(db)
    report = ingest_paths(store, [folder], Settings(db=str(db), workers=0, document_timeout=60))
    rejected = {r.source.rsplit("/", 1)[-1]: r.reason for r in report.rejections}
    assert rejected == {"huge.html": "too-large", "binary.txt": "binary", "empty.txt": "empty"}
    assert report.added == 7
    by_name = {a.source.rsplit("/", 1)[-1]: a for a in store.articles(store.all_article_ids())}
    assert "encoding-guessed" in by_name["wrong-charset.html"].flags
    assert "Сергей Лавров" in by_name["wrong-charset.html"].text
    assert by_name["mixed.txt"].flags and "Сергей Лавров" in by_name["mixed.txt"].text
    assert "mojibake-repaired" in by_name["mojibake.txt"].flags and "Сергей Лавров" in by_name["mojibake.txt"].text
    assert "alert(1)" not in by_name["script.html"].text
    assert all(a.language == "ru" for a in by_name.values())
    # Rejections are stored with their reasons: nothing is dropped silently.
    assert store.rejection_counts() == {"too-large": 1, "binary": 1, "empty": 1}
