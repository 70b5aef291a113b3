from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planwijzer.cli import app
from planwijzer.settings import Settings
from tests.conftest import DATA_DIR, lend_project_cache

runner = CliRunner()


def test_ingest_writes_the_corpus_and_prints_the_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", "--build-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "1,312 actions" in result.output
    assert "Corpus summary" in result.output
    lines = (tmp_path / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert sum(r["kind"] == "action" for r in records) == 1312
    assert {r["source"] for r in records} == {"bestuursnota-2019-2024", "zorgzame-stad"}
    required = {
        "id",
        "source",
        "kind",
        "programme",
        "programme_title",
        "actieprogramma",
        "actieprogramma_title",
        "subheading",
        "action",
        "text",
        "lines",
        "tokens",
    }
    assert all(required <= set(r) for r in records)
    assert all(r["tokens"] > 0 for r in records)


def test_ingest_names_the_records_whose_keywords_must_be_written(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(
        "PROGRAMMA 1: BUURTEN\n1.1 Samen\n1. We bouwen een zwemaccommodatie.\n2. We leggen fietspaden aan.\n",
        encoding="utf-8",
    )
    older = {"id": "plan/p1/a1", "text_sha256": "0" * 64, "nl": ["zwembad"], "en": ["swimming pool"]}
    (tmp_path / "kw.jsonl").write_text(json.dumps(older) + "\n", encoding="utf-8")
    registry = tmp_path / "sources.toml"
    registry.write_text(
        '[[source]]\nid = "plan"\ntitle = "Plan"\nperiod = "2019-2024"\nkind = "plan"\n'
        'file = "plan.txt"\nkeywords = "kw.jsonl"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ingest", "--sources", str(registry), "--build-dir", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Keywords: 0 records of plan" in output
    assert "1 keyword entries were written for an older text and are left out; write them again: plan/p1/a1" in output
    assert "1 records have no keywords and are found by their text alone: plan/p1/a2" in output

    # The worklist gives each record's current text hash; filled in, the entries attach.
    listed = runner.invoke(app, ["keywords", "--sources", str(registry)])
    assert listed.exit_code == 0, listed.output
    worklist = [json.loads(line) for line in listed.output.splitlines()]
    assert [(entry["id"], entry["nl"]) for entry in worklist] == [("plan/p1/a1", ["zwembad"]), ("plan/p1/a2", [])]
    assert worklist[1]["text"] == "We leggen fietspaden aan."
    worklist[1]["nl"] = ["fietspad"]
    (tmp_path / "kw.jsonl").write_text("".join(json.dumps(entry) + "\n" for entry in worklist), encoding="utf-8")
    again = runner.invoke(app, ["ingest", "--sources", str(registry), "--build-dir", str(tmp_path / "build")])
    assert "Keywords: 2 records of plan" in again.output and "older text" not in again.output
    assert runner.invoke(app, ["keywords", "--sources", str(registry)]).output == ""


def test_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_BUILD_DIR", str(tmp_path / "from-env"))
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-env" / "corpus.jsonl").is_file()


def test_broken_numbering_fails_the_ingest_with_the_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    plan = data / "bestuursnota-2019-2024.txt"
    text = plan.read_text(encoding="utf-8")
    broken = text.replace(
        "\n95. We ondersteunen de stedelijke adviesraad", "\n96. We ondersteunen de stedelijke adviesraad"
    )
    assert broken != text
    plan.write_text(broken, encoding="utf-8")
    build = tmp_path / "build"
    result = runner.invoke(app, ["ingest", "--sources", str(data / "sources.toml"), "--build-dir", str(build)])
    assert result.exit_code == 1
    assert "programma 5 has action 96 where 95 was expected (gap)" in result.output
    assert "line 5596" in result.output
    assert not (build / "corpus.jsonl").exists()


def test_invalid_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_TOKEN_ENCODING", "  ")
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2
    assert "Invalid settings" in result.output


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_BUILD_DIR", str(tmp_path))
    assert runner.invoke(app, ["ingest"]).exit_code == 0


@pytest.mark.usefixtures("built")
def test_search_looks_up_an_action_number() -> None:
    result = runner.invoke(app, ["search", "actie 5.95", "--mode", "bm25", "--json"])
    assert result.exit_code == 0, result.output
    (hit,) = json.loads(result.output)
    assert hit["id"] == "bestuursnota-2019-2024/p5/a95"
    assert hit["method"] == "lookup"
    assert hit["text"].startswith("We ondersteunen de stedelijke adviesraad kinderopvang")


@pytest.mark.usefixtures("built")
def test_search_ranks_by_bm25() -> None:
    result = runner.invoke(app, ["search", "OCMW-tarief kinderopvang", "--k", "3", "--mode", "bm25", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3
    assert hits[0]["citation"] == "Bestuursnota 2019-2024, programma 5, actie 100"


@pytest.mark.usefixtures("built")
def test_search_keeps_to_a_programme_or_actieprogramma() -> None:
    result = runner.invoke(app, ["search", "buurt", "--actieprogramma", "1.1", "--mode", "bm25", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits and all(hit["citation"].startswith("Bestuursnota 2019-2024, programma 1, actie ") for hit in hits)
    mismatch = runner.invoke(app, ["search", "kinderopvang", "--programme", "5", "--actieprogramma", "1.1"])
    assert mismatch.exit_code == 1 and "actieprogramma 1.1 is geen deel van programma 5" in mismatch.output


@pytest.mark.usefixtures("built")
def test_search_for_an_unknown_action_says_the_valid_range() -> None:
    result = runner.invoke(app, ["search", "3.999", "--mode", "bm25"])
    assert result.exit_code == 1
    assert "programma 3 heeft acties 1 tot 161" in result.output


def test_search_without_a_corpus_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_BUILD_DIR", str(tmp_path / "empty"))
    result = runner.invoke(app, ["search", "kinderopvang"])
    assert result.exit_code == 1
    assert "run `planwijzer ingest` first" in result.output


@pytest.mark.usefixtures("built")
def test_hybrid_search_without_an_index_says_how_to_build_it() -> None:
    result = runner.invoke(app, ["search", "kinderopvang", "--mode", "hybrid"])
    assert result.exit_code == 1
    assert "there is no search index" in result.output and "planwijzer index" in result.output


def test_index_builds_once_then_reports_it_is_current(small_build: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_BUILD_DIR", str(small_build.build_dir))
    monkeypatch.setenv("PLANWIJZER_LEXICON_ENGLISH_WORDS", "300")
    monkeypatch.setenv("PLANWIJZER_LEXICON_DUTCH_WORDS", "300")
    lend_project_cache(small_build)
    first = runner.invoke(app, ["index"])
    assert first.exit_code == 0, first.output
    assert "embedded anew" in first.output and (small_build.index_dir / "manifest.json").is_file()
    assert "English and" in first.output and "Dutch words" in first.output
    second = runner.invoke(app, ["index"])
    assert second.exit_code == 0 and "is current" in second.output
    result = runner.invoke(app, ["search", "kinderopvang", "--mode", "dense", "--k", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert [hit["method"] for hit in json.loads(result.output)] == ["dense", "dense"]


def test_index_with_an_unknown_model_is_a_clear_error(small_build: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANWIJZER_BUILD_DIR", str(small_build.build_dir))
    monkeypatch.setenv("PLANWIJZER_EMBEDDING_MODEL", "no-such-model")
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 1
    assert "Index build failed" in result.output and "no-such-model" in result.output


def test_eval_options_reach_the_subcommand_unless_it_is_told_otherwise() -> None:
    test_split = runner.invoke(app, ["eval", "--split", "test", "validate"])
    assert test_split.exit_code == 0, test_split.output
    told = runner.invoke(app, ["eval", "--split", "test", "validate", "--split", "dev"])
    everything = runner.invoke(app, ["eval", "validate"])
    counts = [int(result.output.split()[0]) for result in (test_split, told, everything)]
    assert counts[0] < counts[1] < counts[2]  # test, dev, all


def test_eval_options_of_the_whole_evaluation_are_refused_with_a_subcommand() -> None:
    result = runner.invoke(app, ["eval", "--min-recall5", "0.9", "retrieval"])
    assert result.exit_code == 2
    assert "--min-recall5 applies to the whole evaluation, not to `retrieval`" in result.output


@pytest.mark.usefixtures("built")
def test_eval_adds_judgements_of_a_pool_and_refuses_an_incomplete_one(tmp_path: Path) -> None:
    pool_file, verdicts, judgements = tmp_path / "pool.jsonl", tmp_path / "verdicts.jsonl", tmp_path / "j.jsonl"
    candidates = [{"key": "dev-129#1", "record": {"programme": 5, "action": 97}},
                  {"key": "dev-129#2", "record": {"programme": 1, "action": 1}}]  # fmt: skip
    pool_file.write_text(json.dumps({"question": "dev-129", "candidates": candidates}) + "\n", encoding="utf-8")
    verdicts.write_text('{"key": "dev-129#1", "relevant": true}\n', encoding="utf-8")
    command = ["eval", "add-judgements", "--pool", str(pool_file), "--verdicts", str(verdicts)]
    incomplete = runner.invoke(app, [*command, "--judgements", str(judgements)])
    assert incomplete.exit_code == 1 and "1 candidates have no verdict" in incomplete.output
    assert not judgements.exists()
    with verdicts.open("a", encoding="utf-8") as stream:
        stream.write('{"key": "dev-129#2", "relevant": false}\n')
    added = runner.invoke(app, [*command, "--judgements", str(judgements)])
    assert added.exit_code == 0, added.output
    assert "2 judgements added, 1 of them relevant" in added.output
    lines = [json.loads(line) for line in judgements.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"question": "dev-129", "record": {"programme": 5, "action": 97}, "relevant": True}
    again = runner.invoke(app, [*command, "--judgements", str(judgements)])
    assert again.exit_code == 1 and "is judged twice" in again.output
    assert len(judgements.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.usefixtures("built")
def test_eval_retrieval_scores_against_the_judgements_when_asked() -> None:
    written = runner.invoke(app, ["eval", "retrieval", "--systems", "bm25"])
    judged = runner.invoke(app, ["eval", "retrieval", "--systems", "bm25", "--judged"])
    from_eval = runner.invoke(app, ["eval", "--judged", "retrieval", "--systems", "bm25"])
    assert written.exit_code == judged.exit_code == from_eval.exit_code == 0, written.output + judged.output

    def scores(output: str) -> list[str]:  # the table without its latency columns
        return [" ".join(line.split("│")[1:-3]) for line in output.splitlines() if line.count("│") > 5]

    assert scores(judged.output) == scores(from_eval.output) != scores(written.output)
