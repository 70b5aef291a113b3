import asyncio
import json
from pathlib import Path

import httpx
import pytest

from planwijzer.eval.answers import AnswerReport, AnswerScore, abstention_sweep, evaluate_answers
from planwijzer.eval.gold import GoldQuestion, GoldResolver
from planwijzer.eval.remote import remote_ask, remote_ranker
from planwijzer.eval.report import Evaluation, Gates, markdown, write_reports
from planwijzer.eval.retrieval import QueryScore, RetrievalReport, SystemResult
from planwijzer.ingest.records import Record


def query(recall5: float, recall1: float, gold_count: int = 1) -> QueryScore:
    metrics = {"recall@1": recall1, "recall@5": recall5, "recall@10": recall5, "success@5": recall5, "mrr": recall1,
               "ndcg@10": recall5}  # fmt: skip
    return QueryScore("q", "resident", gold_count, metrics, 5.0, tuple([recall1] + [recall5] * 9))


def answer(status: str, kind: str, cited: tuple[str, ...], gold: frozenset[str]) -> AnswerScore:
    return AnswerScore("q", kind, status, cited, gold, 0.9, "nl", 4.0)


@pytest.fixture
def evaluation() -> Evaluation:
    retrieval = RetrievalReport("dev", [SystemResult("hybrid", [query(1.0, 1.0), query(0.5, 0.0, gold_count=3)])], {})
    answers = AnswerReport(
        "dev",
        [
            answer("answered", "resident", ("a", "b"), frozenset({"a"})),
            answer("not_found", "out_of_scope", (), frozenset()),
            answer("answered", "out_of_scope", ("c",), frozenset()),
        ],
    )
    return Evaluation("dev", "hybrid", retrieval, answers, {"model": "fake"})


def test_gates_pass_and_fail_on_the_served_figures(evaluation: Evaluation) -> None:
    assert evaluation.failures(Gates(min_recall5=0.75, min_precision=0.5, max_false_abstention=0.0)) == []
    failures = evaluation.failures(Gates(min_recall5=0.8, min_recall1=0.6, min_abstention=0.9))
    assert failures == ["hybrid recall@5 0.750 < 0.800", "hybrid recall@1 0.500 < 0.600", "abstention 0.500 < 0.900"]
    other = Evaluation("dev", "dense", evaluation.retrieval, None)
    assert other.failures(Gates(min_recall5=0.1)) == ["the served system dense was not evaluated"]


def test_reports_are_written_as_json_markdown_and_a_chart(evaluation: Evaluation, tmp_path: Path) -> None:
    paths = write_reports(evaluation, tmp_path)
    assert [path.name for path in paths] == ["latest.json", "latest.md", "latest.png"]
    data = json.loads(paths[0].read_text())
    assert data["served"] == "hybrid" and data["answers"]["summary"]["citation_precision"] == 0.5
    assert paths[2].read_bytes().startswith(b"\x89PNG")
    text = markdown(evaluation)
    assert "| all | hybrid | 2 | 0.500 | 0.750 |" in text and "- model: fake" in text
    assert "| resident | 1 | 1 | 1.000 |" in text and "| resident | 2–4 | 1 | 0.500 |" in text
    assert data["retrieval"]["systems"]["hybrid"]["by_gold_count"]["all"]["2–4"]["recall@5"] == 0.5


def test_reports_give_each_figure_its_bootstrap_interval(evaluation: Evaluation, tmp_path: Path) -> None:
    data = json.loads(write_reports(evaluation, tmp_path)[0].read_text())
    low, high = data["retrieval"]["systems"]["hybrid"]["intervals_95"]["recall@1"]
    assert low == 0.0 and high == 1.0  # two questions, one found first and one not
    answers = data["answers"]["intervals_95"]
    assert answers["citation_precision"] == [0.5, 0.5]  # one answered in-scope question
    assert answers["abstention"][0] == 0.0 and answers["abstention"][1] == 1.0
    assert answers["followup_recall"] is None  # no follow-ups asked
    text = markdown(evaluation)
    assert "- hybrid: recall@1 0.000–1.000, recall@5 0.500–1.000" in text
    assert "citation_precision 0.500–0.500" in text and "followup_recall" not in text.split("(bootstrap): ")[-1]


def test_a_running_service_is_evaluated_over_http(few_records: list[Record]) -> None:
    a95 = next(r.id for r in few_records if r.label == "5.95")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/search":
            return httpx.Response(200, json={"query": "q", "results": [{"record": {"id": a95}}]})
        body = json.loads(request.content)
        assert body["question"] == "wie zorgt voor de adviesraad?"
        citation = {"id": a95}
        return httpx.Response(200, json={"status": "answered", "citations": [citation], "language": "nl"})

    transport = httpx.MockTransport(handler)
    with httpx.Client(transport=transport, base_url="http://service") as client:
        assert remote_ranker(client)("q", 10) == [{a95}]
    question = GoldQuestion.model_validate(
        {
            "id": "d1",
            "question": "wie zorgt voor de adviesraad?",
            "kind": "staff",
            "gold": [{"programme": 5, "action": 95}],
        }
    )

    async def run() -> AnswerReport:
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            return await evaluate_answers("dev", [question], GoldResolver(few_records), remote_ask(client))

    report = asyncio.run(run())
    assert report.summary()["citation_precision"] == 1.0 and report.summary()["citation_recall"] == 1.0


def scored(kind: str, confidence: float, scale: str = "en") -> AnswerScore:
    return AnswerScore("q", kind, "answered", (), frozenset(), confidence, scale[:2], 4.0, scale)


def test_the_abstention_sweep_steps_through_the_confidences_until_false_abstention_passes_the_limit() -> None:
    scores = [
        scored("out_of_scope", 0.80),
        scored("out_of_scope", 0.86),
        scored("english", 0.85),
        *(scored("english", 0.90 + step / 100) for step in range(9)),
        scored("resident", 0.50, scale="nl_short"),  # another threshold's question: not in this table
    ]
    rows = abstention_sweep(scores, "en", max_false_abstention=0.15)
    assert [threshold for threshold, _, _ in rows] == [0.80, 0.85, 0.86, 0.90, 0.91]
    assert rows[1] == (0.85, 0.5, 0.0)  # below 0.85: one of two out-of-scope, no in-scope question
    assert rows[-1][2] == pytest.approx(0.2)  # the first row over the limit ends the table
    given = abstention_sweep(scores, "en", thresholds=[0.0, 2.0])
    assert given == [(0.0, 0.0, 0.0), (2.0, 1.0, 1.0)]


def test_the_served_system_is_compared_with_each_other_one_question_by_question(tmp_path: Path) -> None:
    served = SystemResult("hybrid", [query(1.0, 1.0), query(1.0, 0.0)])
    other = SystemResult("bm25", [query(0.5, 0.0), query(0.5, 0.0)])
    evaluation = Evaluation("dev", "hybrid", RetrievalReport("dev", [other, served], {}), None)
    figures = evaluation.differences()["bm25"]
    assert figures["recall@5"] == (0.5, (0.5, 0.5))
    difference, (low, high) = figures["recall@1"]
    assert (difference, low, high) == (0.5, 0.0, 1.0)  # found first once more out of two questions
    assert evaluation.difference_lines() == [
        "hybrid − bm25: recall@1 +0.500 (+0.000 to +1.000), recall@5 +0.500 (+0.500 to +0.500)"
    ]
    data = json.loads(write_reports(evaluation, tmp_path)[0].read_text())
    assert data["differences_95"]["bm25"]["recall@5"] == {"difference": 0.5, "interval": [0.5, 0.5]}
    with pytest.raises(ValueError, match="different questions"):
        served.difference(SystemResult("dense", [query(1.0, 1.0)]), "recall@1")
