"""Sharded builds for CI matrices: ``build --shard i/N`` renders a deterministic part of the
pages into a part folder; ``merge PART... --out DIR`` assembles the parts into the same bytes
as a single build.

A part holds its pages' files, their manifest entries (``.build-manifest.json``) and
``.shard.json``: which shard it is, the fingerprint of the whole plan (every page's content
hash, so parts built from different data, templates or configuration are refused), the page
order and search ranks, and what the site-wide search index needs. Shard 1 also carries the
assets and the search page; the merge writes the search index, which needs every page's title.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from attendance_reports.errors import ConfigError
from attendance_reports.site import incremental

PART_FILE = ".shard.json"
SPEC = re.compile(r"^([1-9][0-9]*)/([1-9][0-9]*)$")


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse(spec: str) -> Shard:
    """'1/2' -> Shard(1, 2); anything else is one clear line."""
    match = SPEC.match(spec.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise ConfigError(f"--shard {spec}: expected i/N with 1 ≤ i ≤ N, e.g. --shard 1/2")
    return Shard(int(match[1]), int(match[2]))


def select(pages: list, shard: Shard) -> list:
    """The shard's pages: every N-th page of the plan, so each shard gets a fair mix of LA,
    overview and school pages, and the split depends only on the plan."""
    return [job for k, job in enumerate(pages) if k % shard.count == shard.index - 1]


def plan_fingerprint(pages: list, hashes: dict[str, str], label: str, search_text: str) -> str:
    return incremental.fingerprint(
        [[job.slug, hashes[job.slug], job.search_rank] for job in pages] + [label, search_text]
    )


def write_part(
    stage: Path, shard: Shard, pages: list, fingerprint: str, search: dict, engine: str = "pandoc"
) -> None:
    info = {
        "engine": engine,
        "shard": shard.index,
        "of": shard.count,
        "plan": fingerprint,
        "pages": [[job.slug, job.search_rank] for job in pages],
        "search": search,
    }
    (stage / PART_FILE).write_text(json.dumps(info, sort_keys=True) + "\n", encoding="utf-8")


def read_parts(parts: list[Path]) -> list[dict]:
    """Each part's .shard.json, checked: one plan, every shard once."""
    infos = []
    for part in parts:
        path = part / PART_FILE
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            if not all(key in info for key in ("shard", "of", "plan", "pages", "search")):
                raise KeyError(path)
            info["folder"] = part
        except FileNotFoundError:
            raise ConfigError(
                f"{part}: not a shard of a build — build it with "
                "'attendance-reports build --shard i/N --out PART'"
            ) from None
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"{path}: damaged shard description — rebuild this shard") from None
        infos.append(info)
    if not infos:
        raise ConfigError("merge: no parts given — pass the folders the shards were built into")
    first = infos[0]
    for info in infos[1:]:
        if info["plan"] != first["plan"] or info["of"] != first["of"]:
            raise ConfigError(
                f"{info['folder']}: built from different data, templates or settings than "
                f"{first['folder']} — rebuild every shard from the same inputs"
            )
    seen = sorted(info["shard"] for info in infos)
    if seen != list(range(1, first["of"] + 1)):
        missing = sorted(set(range(1, first["of"] + 1)) - set(seen))
        what = f"shard {', '.join(map(str, missing))} missing" if missing else "a shard twice"
        raise ConfigError(f"merge: {what} of {first['of']} — pass each shard's folder once")
    return sorted(infos, key=lambda info: info["shard"])


def gather(infos: list[dict], stage: Path) -> dict:
    """Copy (hard-link where possible) every part's pages into ``stage``; the merged manifest."""
    manifest: dict = {}
    for info in infos:
        part = info["folder"]
        entries = incremental.read_manifest(part)
        for slug, entry in entries.items():
            if not incremental.reuse(entry, part, stage):
                raise ConfigError(f"{part}: files of {slug} are missing — rebuild this shard")
            manifest[slug] = entry
    assets = infos[0]["folder"] / "assets"
    if not assets.is_dir():
        raise ConfigError(f"{infos[0]['folder']}: no assets folder — rebuild shard 1")
    shutil.copytree(assets, stage / "assets", copy_function=_link_or_copy)
    absent = [slug for slug, _ in infos[0]["pages"] if slug not in manifest]
    if absent:
        raise ConfigError(f"merge: page {absent[0]} is in no part — rebuild every shard")
    return manifest


def merge_inputs(infos: list[dict], stage: Path) -> None:
    """The parts' record of their inputs (``incremental.INPUTS``), when every part has the same
    one: a merged site is then rebuilt like a single build's (nothing to do when unchanged)."""
    texts = set()
    for info in infos:
        path = info["folder"] / incremental.INPUTS
        texts.add(path.read_text(encoding="utf-8") if path.is_file() else "")
    if len(texts) == 1 and (text := texts.pop()):
        (stage / incremental.INPUTS).write_text(text, encoding="utf-8")


def _link_or_copy(source: str, target: str) -> str:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return target
