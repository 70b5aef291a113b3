"""Planwijzer: answers about the Leuven policy plan, with citations to its numbered actions."""

__version__ = "0.1.0"
