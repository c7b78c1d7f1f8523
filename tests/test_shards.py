"""Sharded builds: `build --shard i/N` renders a deterministic part; `merge` assembles the parts
into the same bytes as a single build."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from attendance_reports.cli import main
from attendance_reports.site.build import build
from attendance_reports.site.config import read_config

LAS = ("202",)


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def parts(repo, tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    config = root / "site.yml"  # the example site's settings, without school and trust pages
    config.write_text(
        (repo / "site.yml").read_text(encoding="utf-8").replace("schools: true", "schools: false"),
        encoding="utf-8",
    )
    common = ["--config", str(config), "--data", str(repo / "data"), "--la", "202"]
    common += ["--engine", "pandoc", "--jobs", "1"]
    for i in (1, 2):
        result = _cli("build", *common, "--shard", f"{i}/2", "--out", str(root / f"part{i}"))
        assert result.exit_code == 0, result.output
    return root


def test_two_shards_merge_into_the_bytes_of_a_single_build(repo, parts, tmp_path, digest):
    single = tmp_path / "single"
    config = read_config(parts / "site.yml")
    assert not config.schools
    build(config, [repo / "data"], single, "pandoc", LAS, jobs=2, reports=repo / "reports")
    merged = tmp_path / "merged"
    result = _cli("merge", str(parts / "part1"), str(parts / "part2"), "--out", str(merged))
    assert result.exit_code == 0, result.output
    assert "Merged 2 parts" in result.output
    assert digest(merged) == digest(single)
    assert len(digest(merged)) > 50  # England, Camden and the site pages, their files


def test_each_shard_renders_about_half_and_no_page_twice(parts):
    pages = []
    for i in (1, 2):
        info = json.loads((parts / f"part{i}" / ".shard.json").read_text(encoding="utf-8"))
        manifest = json.loads((parts / f"part{i}" / ".build-manifest.json").read_text("utf-8"))
        pages.append(set(manifest) - {"search"})
        assert info["shard"] == i and info["of"] == 2
    assert not pages[0] & pages[1]
    assert abs(len(pages[0]) - len(pages[1])) <= 1
    assert (parts / "part1" / "search.html").is_file()
    assert not (parts / "part2" / "search.html").exists()


def test_merge_refuses_a_missing_shard_or_mixed_inputs(repo, parts, tmp_path):
    result = _cli("merge", str(parts / "part1"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "shard 2 missing of 2" in result.output
    assert not (tmp_path / "out").exists()

    other = tmp_path / "other"
    shutil.copytree(parts / "part2", other)
    info = json.loads((other / ".shard.json").read_text(encoding="utf-8"))
    info["plan"] = "0" * 64  # as if built from other data
    (other / ".shard.json").write_text(json.dumps(info), encoding="utf-8")
    result = _cli("merge", str(parts / "part1"), str(other), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "built from different data" in result.output
    assert result.output.count("\n") == 1

    result = _cli("merge", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "not a shard of a build" in result.output


@pytest.mark.parametrize("spec", ["0/2", "3/2", "1/0", "a/b", "1-2"])
def test_bad_shard_specs_are_one_line(repo, tmp_path, spec):
    result = _cli("build", "--data", str(repo / "data"), "--shard", spec, "--out", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Error: --shard {spec}: expected i/N")
