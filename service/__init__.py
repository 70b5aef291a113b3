"""Service: the HTTP API and the chat widget."""
