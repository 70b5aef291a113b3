"""Ingest: source documents (TXT, PDF, HTML) to one typed record per action, intro or bullet."""
