"""What a build reports: its pages, time by stage, size, warnings and notes (``BuildResult``)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildResult:
    pages: int
    seconds: float
    size_bytes: int
    out_dir: Path
    engine: str
    stages: tuple[tuple[str, float], ...]
    rendered: int = 0  # pages rendered this time (the rest were unchanged and reused)
    rendered_pages: tuple[str, ...] = ()  # their slugs
    findings: tuple = ()  # the data-quality warnings of the files (validate.Finding)
    notes: tuple[str, ...] = ()  # what the build left out and why, one line each

    @classmethod
    def finished(
        cls,
        pages: int,
        started: float,
        out_dir: Path,
        engine: str,
        stages: list | tuple,
        rendered: int = 0,
        rendered_pages: list[str] | tuple[str, ...] = (),
    ) -> BuildResult:
        """The result of a build that started at ``started`` (perf_counter) and ends now."""
        seconds = time.perf_counter() - started
        return cls(
            pages,
            seconds,
            _size(out_dir),
            out_dir,
            engine,
            tuple(stages),
            rendered,
            tuple(rendered_pages),
        )

    def summary(self) -> str:
        timings = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.stages)
        return (
            f"Built {self.pages:,} pages ({self.rendered:,} rendered, "
            f"{self.pages - self.rendered:,} unchanged) with {self.engine} in {self.seconds:.1f} s "
            f"[{timings}] "
            f"({self.size_bytes / 1e6:.1f} MB) into {self.out_dir}"
        )


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
