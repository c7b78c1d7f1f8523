"""Site configuration (site.yml): who publishes, what to build. Unknown keys are errors."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from attendance_reports.errors import ConfigError


@dataclass(frozen=True)
class Config:
    title: str = "School attendance and absence"
    publisher: str = "attendance-reports (example publisher)"
    publisher_url: str = ""
    contact_email: str = "accessibility@example.org"
    release: str = ""  # e.g. "2024-25"; default: the latest academic year in the data
    data: tuple[str, ...] = ("data",)
    las: tuple[str, ...] = ()  # empty: every LA in the data
    schools: bool = True  # build a page for every school of the LAs built
    engine: str = "auto"  # auto | quarto | pandoc
    statement_date: str = "24 November 2026"  # accessibility statement: last reviewed
    corrections: tuple[str, ...] = ()  # listed on the release notes page
    small_numbers: int = 6  # pupil-group counts below this are shown as [c] (disclosure.py)


def read_config(path: Path | None) -> Config:
    """Read site.yml; a misspelt key is an error naming the file and key."""
    if path is None:
        return Config()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"{path}: cannot be read ({exc.__class__.__name__}) — check it is valid YAML"
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected key: value pairs — see site.yml in the repository")
    known = {f.name: f for f in fields(Config)}
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown key '{key}' — valid keys: {', '.join(known)}")
        if isinstance(value, list):
            value = tuple(str(v) for v in value)
        elif known[key].type in ("tuple[str, ...]",) and isinstance(value, str):
            value = (value,)
        values[key] = value
    if "data" in values:  # folders named in site.yml are relative to site.yml, not the shell
        values["data"] = tuple(
            d if Path(d).is_absolute() else (path.parent / d).as_posix() for d in values["data"]
        )
    config = Config(**values)
    if config.engine not in ("auto", "quarto", "pandoc"):
        raise ConfigError(f"{path}: engine must be auto, quarto or pandoc, not '{config.engine}'")
    if not isinstance(config.small_numbers, int) or config.small_numbers < 1:
        raise ConfigError(
            f"{path}: small_numbers must be a whole number of pupils, 1 or more (default 6)"
        )
    return config
