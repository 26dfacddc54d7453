"""A progress line for long operator runs: a bar on a terminal, a line per tenth otherwise (logs stay short)."""

from __future__ import annotations

import sys
from typing import TextIO

from shared.batch.model import Job

__all__ = ["ProgressBar"]


class ProgressBar:
    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self._shown_tenth = -1
        self._shown = ""
        self._drawn = False

    def line(self, job: Job) -> str:
        total = max(job.chunks_total, 1)
        finished = job.chunks_done + job.chunks_dead
        filled = round(self.width * finished / total)
        bar = "#" * filled + "." * (self.width - filled)
        rows = job.counts.get("applied", 0)
        dead = f"  {job.chunks_dead} set aside" if job.chunks_dead else ""
        return f"[{bar}] {finished}/{job.chunks_total} chunks  {rows} rows applied  ({job.state.value}){dead}"

    def __call__(self, job: Job) -> None:
        text = self.line(job)
        if self.stream.isatty():
            self.stream.write("\r" + text)
            self._drawn = True
        else:
            tenth = (10 * (job.chunks_done + job.chunks_dead)) // max(job.chunks_total, 1)
            if tenth != self._shown_tenth or (job.finished and text != self._shown):
                self._shown_tenth, self._shown = tenth, text
                self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
