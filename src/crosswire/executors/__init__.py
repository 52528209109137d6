"""Where stages run: in this process or a local process pool today, Ray Data later. Stages never
know which; an executor runs a per-document stage over a batch with a time limit per document."""

from crosswire.executors.base import Executor
from crosswire.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor"]
