"""Index: the corpus as a dense (FAISS) and a lexical (BM25) index with a manifest."""
