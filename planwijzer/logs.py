"""Logging set-up: readable lines for commands, one JSON object per line for the service."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

QUIET_LIBRARIES = ("bm25s", "httpx", "matplotlib", "faiss")


class WithoutTerminalColours(logging.Filter):
    """uvicorn attaches a copy of each message with terminal colour codes; a log file wants one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.__dict__.pop("color_message", None)
        return True


def logging_config(level: str, as_json: bool) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` mapping; uvicorn's workers are handed the same one."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if as_json
        else {"format": "%(levelname)s %(name)s: %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"plain": {"()": WithoutTerminalColours}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["plain"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own access lines carry client addresses; ours (planwijzer.access) do not.
            "uvicorn.access": {"level": "WARNING"},
            **{name: {"level": "WARNING"} for name in QUIET_LIBRARIES},
        },
    }


def configure_logging(level: str = "INFO", as_json: bool = False) -> None:
    logging.config.dictConfig(logging_config(level, as_json))
