"""How deploy talks while it works: the plan, notes, and import progress.

A rich progress bar when stderr is a terminal; plain lines otherwise (CI logs), one per 10%
step. With --json everything here goes to stderr, so stdout holds only the JSON object.
Every line passes through `mask`.
"""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from .plan import Plan
from .report import plan_lines
from .secrets import mask


class ConsoleUi:
    def __init__(self, json_mode: bool, stream: IO[str] | None = None, quiet: bool = False) -> None:
        self.json_mode = json_mode
        self.stream = stream
        self.quiet = quiet  # -q: no progress (the plan, notes and result stay)
        self._bars: dict[str, Any] = {}
        self._last: dict[str, int] = {}
        self._rich: Any = None

    def _echo(self, text: str) -> None:
        click.echo(mask(text), err=self.json_mode, file=self.stream)

    def plan(self, plan: Plan) -> None:
        for line in plan_lines(plan):
            self._echo(line)

    def note(self, text: str) -> None:
        self._pause_bars()
        self._echo(text)

    def progress(self, label: str, percent: float) -> None:
        if self.quiet:
            return
        if self._terminal():
            self._bar(label, percent)
            return
        step = int(percent // 10) * 10
        if self._last.get(label) != step:
            self._last[label] = step
            self._echo(f"{label}: {step}%")

    def close(self) -> None:
        self._pause_bars()

    def _terminal(self) -> bool:
        return self.stream is None and sys.stderr.isatty()

    def _bar(self, label: str, percent: float) -> None:
        from rich.console import Console
        from rich.progress import Progress

        if self._rich is None:  # on stderr: stdout may be carrying --json
            self._rich = Progress(console=Console(stderr=True), transient=False)
            self._rich.start()
        if label not in self._bars:
            self._bars[label] = self._rich.add_task(label, total=100)
        self._rich.update(self._bars[label], completed=percent)

    def _pause_bars(self) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich, self._bars = None, {}
