"""Rendering for the terminal and for JSON output. Article content is untrusted: terminal output
goes through rich ``Text`` (no markup parsing) with control characters stripped, so an article
cannot inject escape sequences or console markup."""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from crosswire.evaluate.clusters import BCubed, ClustersReport
    from crosswire.evaluate.metrics import Ranked
    from crosswire.evaluate.pairs import PairsReport
    from crosswire.evaluate.retrieval import RetrievalReport
    from crosswire.service import IngestReport, RecleanReport, ReclusterReport
    from crosswire.types import Article, Rejection, Similarity, StoryMention, StorySummary

_PIPE_WIDTH = 100_000  # a pipe or a file has no width: nothing is wrapped or cut before this


def _console(stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = _PIPE_WIDTH
    return console


out = _console(stderr=False)
err = _console(stderr=True)


def use_streams() -> None:
    """Fit the consoles to where output goes now (called before every command). On a terminal,
    rich's widths; piped or redirected, lines are never wrapped at 80 columns: a one-line reason
    stays one line and grep sees whole lines."""
    global out, err
    out, err = _console(stderr=False), _console(stderr=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(value: object, limit: int = 0) -> str:
    text = _CONTROL.sub("", "" if value is None else str(value))
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


def nouns(noun: str) -> str:
    """The plural of a noun the CLI counts: story -> stories, article -> articles."""
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def plural(count: int, noun: str) -> str:
    """'1 story', '2 stories', '0 articles': every count printed with its noun goes through here."""
    return f"{count} {noun if count == 1 else nouns(noun)}"


# -- terminal -----------------------------------------------------------------------------
def rejection_line(item: Rejection) -> str:
    detail = f" ({safe(item.detail, 200)})" if item.detail else ""
    return f"crosswire: {safe(item.source, 300)}: {item.reason}{detail}"


def print_article(article: Article) -> None:
    out.print(Text(safe(article.headline), style="bold"))
    meta = f"{article.id}  {article.language or '?'}  {article.published or 'no date'}  {safe(article.site or '')}"
    out.print(Text(meta, style="dim"))
    out.print(Text(safe(article.text)))
    if article.removed:
        out.print(Text(f"removed {plural(len(article.removed), 'line')}:", style="dim"))
        for item in article.removed:
            out.print(Text(f"  [{item.reason}] {safe(item.text, 100)}", style="dim"))
    out.print()


def print_ingest_report(report: IngestReport, db: str, summary: str = "") -> None:
    rejected = sum(report.rejected.values())
    err.print(
        Text(
            f"added {report.added}, already present {report.present}, rejected {rejected} "
            f"-> {plural(len(report.stories), 'story')} touched in {db}" + (f"; {summary}" if summary else "")
        )
    )
    for reason, count in report.rejected.most_common():
        err.print(Text(f"  rejected {count} as {reason}"))
    for item in report.rejections[:20]:
        err.print(Text("  " + rejection_line(item).removeprefix("crosswire: ")))
    if len(report.rejections) > 20:
        err.print(Text(f"  … and {len(report.rejections) - 20} more"))


def print_reclean_report(report: RecleanReport, summary: str = "") -> None:
    failed = sum(report.failed.values())
    line = f"re-cleaned {report.checked}, changed {report.changed}, failed {failed} (kept as stored)"
    err.print(Text(line + (f"; {summary}" if summary else "")))
    for reason, count in report.failed.most_common():
        err.print(Text(f"  failed {count} as {reason}"))


def print_ray_nodes(nodes: Counter[str]) -> None:
    shares = ", ".join(f"{node[:8]} {count}" for node, count in nodes.most_common())
    err.print(Text(f"prepared on {plural(len(nodes), 'Ray node')}" + (f" ({shares})" if shares else "")))


def print_ray_steps(nodes: Counter[str]) -> None:
    shares = ", ".join(f"{node[:8]} {count}" for node, count in nodes.most_common())
    err.print(
        Text(f"batches weighed and planned on {plural(len(nodes), 'Ray node')}" + (f" ({shares})" if shares else ""))
    )


def print_recluster_report(report: ReclusterReport, summary: str = "") -> None:
    line = (
        f"re-clustered {plural(report.articles, 'article')} into {plural(report.stories, 'story')} "
        f"and {plural(report.events, 'event')}"
    )
    err.print(Text(line + (f"; {summary}" if summary else "")))


def _dates(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return first[:10] if first[:10] == (last or "")[:10] else f"{first[:10]} → {(last or '')[:10]}"


def _mentioned(found: tuple[StoryMention, ...]) -> str:
    return ", ".join(f"{safe(' / '.join(m.surfaces), 60)} [{safe(m.key, 30)}] ({m.articles})" for m in found)


STORY_COLUMNS = ("story", "title", "languages", "articles", "first_date", "last_date")


def _tsv(value: object) -> str:
    """One TSV cell: no tab, newline or control character inside."""
    return " ".join(safe(value).split())


def print_stories(stories: list[StorySummary], total: int | None = None) -> None:
    """A table on a terminal, one story a line, long titles cut with an ellipsis. Piped, tab-
    separated values (a header line, then whole titles) with the count on stderr, for cut,
    sort and grep."""
    shown = plural(len(stories), "story")
    count = Text(shown if total is None or total == len(stories) else f"{shown} of {total}", style="dim")
    if not out.is_terminal:
        sys.stdout.write("\t".join(STORY_COLUMNS) + "\n")
        for story in stories:
            cells = (story.id, story.title, ",".join(story.languages), story.article_count)
            sys.stdout.write("\t".join(_tsv(value) for value in (*cells, story.first_date, story.last_date)) + "\n")
        err.print(count)
        return
    table = Table(show_lines=False)
    # Ids are what a reader types next (`show ID`): never cut or wrapped.
    table.add_column("story", no_wrap=True, min_width=max((len(story.id) for story in stories), default=5))
    table.add_column("title")  # the one column that gives way when the terminal is narrow
    for column in ("languages", "articles", "dates"):
        table.add_column(column, no_wrap=True)
    for story in stories:
        table.add_row(
            Text(story.id),
            Text(safe(story.title, 90), no_wrap=True, overflow="ellipsis"),
            Text(", ".join(safe(lang, 8) for lang in story.languages)),
            Text(str(story.article_count)),
            Text(_dates(story.first_date, story.last_date)),
        )
    out.print(table)
    out.print(count)


def print_story(story: StorySummary) -> None:
    out.print(Text(safe(story.title), style="bold"))
    out.print(
        Text(
            f"{story.id} · {', '.join(safe(lang, 8) for lang in story.languages) or 'no language'} · "
            f"{_dates(story.first_date, story.last_date)} · {plural(story.article_count, 'article')}",
            style="dim",
        )
    )
    if len(story.titles) > 1:
        for lang, title in story.titles:
            out.print(Text(f"  {safe(lang, 8)}: {safe(title, 110)}"))
    if story.language_counts:
        out.print(Text("languages: " + ", ".join(f"{safe(lang, 8)} ({n})" for lang, n in story.language_counts)))
    if story.sites:
        out.print(Text("sites: " + ", ".join(f"{safe(site)} ({n})" for site, n in story.sites)))
    if story.entities:
        out.print(Text("names: " + _mentioned(story.entities)))
    if story.places:
        out.print(Text("places: " + _mentioned(story.places)))
    if story.mention_sample < story.article_count and (story.entities or story.places):
        latest = plural(story.mention_sample, "article")
        out.print(Text(f"  (names and places from the latest {latest})", style="dim"))
    out.print(Text("timeline:", style="bold"))
    for event in story.events:
        languages = ", ".join(safe(lang, 8) for lang in event.languages)
        out.print(
            Text(
                f"  {(event.first_date or 'undated')[:10]:10}  {safe(event.title, 100)}  "
                f"[{plural(event.article_count, 'article')}{'; ' + languages if languages else ''}]"
            )
        )
    out.print(Text("articles:", style="bold"))
    for article in story.articles:
        out.print(
            Text(
                f"  {article.id}  {article.language or '?'}  {(article.published or '')[:10]:10}  "
                f"{safe(article.headline, 90)}"
            )
        )
        out.print(Text(f"      {safe(article.source, 120)}", style="dim"))


def print_similarity(result: Similarity, a: Article, b: Article) -> None:
    names = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}
    out.print(Text(f"score {result.score:.3f} · level {result.level} ({names.get(result.level, '?')})", style="bold"))
    out.print(Text(f"A {a.id} {a.language or '?'}: {safe(a.headline, 90)}"))
    out.print(Text(f"B {b.id} {b.language or '?'}: {safe(b.headline, 90)}"))
    if result.reasons:
        table = Table("shared", "in A", "in B", "weight")
        for reason in result.reasons:
            table.add_row(
                Text(f"{reason.kind}: {safe(reason.key, 40)}"),
                Text(safe(reason.a, 40)),
                Text(safe(reason.b, 40)),
                Text(f"{reason.weight:.3f}"),
            )
        out.print(table)


# -- evaluation ----------------------------------------------------------------------------

_DOMAIN_ROWS = 15  # most domains a retrieval table shows per language pair (JSON has all)


def _figure(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _cell(value: float | None) -> Text:
    return Text("–" if value is None else f"{value:.3f}")


def pairs_report_json(report: PairsReport) -> dict[str, Any]:
    return {
        "file": report.path,
        "rows": report.rows,
        "scored": report.scored,
        "skipped": dict(report.skipped),
        "failed": dict(report.failed),
        **{
            subset: {name: {"n": c.n, "pearson": _figure(c.pearson)} for name, c in groups.items()}
            for subset, groups in report.subsets.items()
        },
    }


def print_pairs_report(report: PairsReport) -> None:
    from crosswire.evaluate.pairs import OVERALL

    subsets = list(report.subsets)
    table = Table(
        title=Text(f"Pearson r of the score against −Overall (higher is better) · {safe(report.path)}"),
        title_justify="left",
    )
    table.add_column("language pair")
    for subset in subsets:
        table.add_column(f"{subset} n", justify="right")
        table.add_column(f"{subset} r", justify="right")
    names = list(dict.fromkeys(name for groups in report.subsets.values() for name in groups))
    for name in names:
        cells = [Text(safe(name), style="bold" if name == OVERALL else "")]
        for subset in subsets:
            found = report.subsets[subset].get(name)
            cells += [Text(str(found.n if found else 0)), _cell(found.pearson if found else None)]
        table.add_row(*cells)
    out.print(table)
    notes = [f"{plural(report.rows, 'row')}, {report.scored} scored"]
    notes += [f"{n} not scored ({reason})" for reason, n in report.failed.most_common()]
    notes += [f"{n} skipped ({reason})" for reason, n in report.skipped.most_common()]
    out.print(Text("; ".join(notes) + "; native: both ids all digits (no machine-translated side)", style="dim"))


def _ranked_json(ranked: Ranked) -> dict[str, Any]:
    return {"n": ranked.n, "p_at_1": _figure(ranked.p_at_1), "mrr": _figure(ranked.mrr)}


def retrieval_report_json(report: RetrievalReport) -> dict[str, Any]:
    return {
        "file": report.path,
        "documents": report.documents,
        "languages": dict(sorted(report.languages.items())),
        "skipped_lines": dict(report.skipped),
        "not_cleaned": dict(report.rejected),
        "pairs": [
            {
                "pair": result.direction.name,
                "query": result.direction.query,
                "target": result.direction.target,
                **_ranked_json(result.overall),
                "left_out": dict(result.left_out),
                "domains": [
                    {"domain": domain, **_ranked_json(ranked)}
                    for domain, ranked in sorted(result.domains.items(), key=lambda item: (-item[1].n, item[0] or ""))
                ],
            }
            for result in report.results
        ],
    }


def print_retrieval_report(report: RetrievalReport) -> None:
    table = Table(title=Text(f"Finding each document's translation · {safe(report.path)}"), title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("pair", "left"),
        ("domain", "left"),
        ("n", "right"),
        ("P@1", "right"),
        ("MRR", "right"),
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for result in report.results:
        overall = result.overall
        table.add_row(
            Text(result.direction.name, style="bold"),
            Text("all", style="bold"),
            Text(str(overall.n)),
            _cell(overall.p_at_1),
            _cell(overall.mrr),
            end_section=len(result.domains) < 2,
        )
        if len(result.domains) < 2:
            continue
        ranked = sorted(result.domains.items(), key=lambda item: (-item[1].n, item[0] or ""))
        for i, (domain, counts) in enumerate(ranked[:_DOMAIN_ROWS]):
            last = i == min(len(ranked), _DOMAIN_ROWS) - 1 and len(ranked) <= _DOMAIN_ROWS
            table.add_row(
                Text(""),
                Text(safe(domain or "(none)", 40)),
                Text(str(counts.n)),
                _cell(counts.p_at_1),
                _cell(counts.mrr),
                end_section=last,
            )
        if len(ranked) > _DOMAIN_ROWS:
            table.add_row(
                Text(""),
                Text(f"… {len(ranked) - _DOMAIN_ROWS} more (--json)", style="dim"),
                Text(""),
                Text(""),
                Text(""),
                end_section=True,
            )
    out.print(table)
    languages = ", ".join(f"{language} {n}" for language, n in sorted(report.languages.items()))
    notes = [
        (
            f"{plural(report.documents, 'document')} ({languages}); each query ranked among all documents of its "
            "pair; ties count against the true translation"
        )
    ]
    notes += [f"{plural(n, 'line')} skipped ({reason})" for reason, n in report.skipped.most_common()]
    notes += [f"{plural(n, 'text')} not cleaned ({reason})" for reason, n in report.rejected.most_common()]
    left = sum((result.left_out for result in report.results), Counter())
    notes += [f"{plural(n, 'document pair')} left out ({reason})" for reason, n in left.most_common()]
    out.print(Text("; ".join(notes), style="dim"))


def _bcubed_json(score: BCubed | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "items": score.items,
    }


def clusters_report_json(report: ClustersReport) -> dict[str, Any]:
    return {
        "stories": _bcubed_json(report.stories),
        "events": _bcubed_json(report.events),
        "gold_items": report.gold_items,
        "groups": report.groups,
        "missing": report.missing,
        "skipped": dict(report.skipped),
    }


def print_clusters_report(report: ClustersReport) -> None:
    table = Table("level", "B-cubed precision", "recall", "F1", "items")
    for name, score in (("stories", report.stories), ("events", report.events)):
        if score is None:
            table.add_row(name, "–", "–", "–", "0")
        else:
            table.add_row(
                name,
                f"{score.precision:.3f}",
                f"{score.recall:.3f}",
                Text(f"{score.f1:.3f}", style="bold"),
                str(score.items),
            )
    out.print(table)
    out.print(
        Text(
            f"{plural(report.gold_items, 'gold item')} in {plural(report.groups, 'group')}; "
            f"{report.missing} not in the store"
            + "".join(f"; {n} skipped as {reason}" for reason, n in report.skipped.items()),
            style="dim",
        )
    )
