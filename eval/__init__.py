"""Evaluation: gold questions, retrieval and answer metrics, reports."""
