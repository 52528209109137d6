"""Linking: graded pairwise similarity with reasons."""

from crosswire.link.similarity import similarity, similarity_many

__all__ = ["similarity", "similarity_many"]
