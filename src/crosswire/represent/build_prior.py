"""Write the reference n-gram document-frequency table (see ``crosswire.represent.prior``):

python -m crosswire.represent.build_prior ../shared/data/wmt
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from crosswire.analyze import analyze_batch
from crosswire.represent.features import feature_keys
from crosswire.represent.prior import GROUP, MIN_DF, NAME
from crosswire.types import Analysis, Article


def build_prior(analyses: Iterable[Analysis], min_df: int = MIN_DF) -> dict[str, object]:
    """The table's JSON content from a corpus of analyses."""
    df: Counter[str] = Counter()
    n_docs = 0
    for analysis in analyses:
        df.update(k[len(GROUP) :] for k in feature_keys(analysis) if k.startswith(GROUP))
        n_docs += 1
    kept = {gram: count for gram, count in sorted(df.items()) if count >= min_df}
    return {"_about": "Written by crosswire.represent.build_prior.", "n_docs": n_docs, "g": kept}


def write_data(name: str, table: object) -> Path:
    """Write ``table`` as compact JSON to the package's data folder under ``name``; its path."""
    target = Path(__file__).resolve().parent.parent / "data" / name
    target.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return target


def wmt_articles(folder: Path) -> Iterable[Article]:
    """Every document of every language in the WMT ``*.docs.jsonl`` files of ``folder``."""
    for path in sorted(folder.glob("*.docs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            for field, segments in doc.items():
                if not isinstance(segments, list) or not segments:
                    continue
                language = doc.get("src_lang") if field == "src_segs" else "en" if field.startswith("ref_en") else field
                yield Article(
                    id=f"{doc['doc_id']}:{field}",
                    source=path.name,
                    title=None,
                    text="\n\n".join(segments),
                    language=language,
                    published=None,
                )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    table = build_prior(analyze_batch(wmt_articles(Path(args[0]))))
    grams = table["g"]
    assert isinstance(grams, dict)
    target = write_data(NAME, table)
    print(f"wrote {target}: {len(grams)} n-grams from {table['n_docs']} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
