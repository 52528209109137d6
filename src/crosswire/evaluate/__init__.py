"""Evaluation on labelled data a user brings: graded pairs (SemEval-2022 Task 8 CSV) and
translation retrieval (documents in several languages, JSON Lines). Readers and metrics only:
how documents are cleaned, analysed and scored is passed in by ``crosswire.service``."""

from crosswire.evaluate.metrics import Ranked, pearson, rank_of
from crosswire.evaluate.pairs import PairRow, PairsReport, evaluate_pairs, read_pairs
from crosswire.evaluate.retrieval import (
    Direction,
    EvalDocument,
    RetrievalReport,
    evaluate_retrieval,
    read_documents,
)

__all__ = [
    "Direction",
    "EvalDocument",
    "PairRow",
    "PairsReport",
    "Ranked",
    "RetrievalReport",
    "evaluate_pairs",
    "evaluate_retrieval",
    "pearson",
    "rank_of",
    "read_documents",
    "read_pairs",
]
