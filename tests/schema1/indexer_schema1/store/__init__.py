"""Store: the SQLite index (schema, the one writer, ingest)."""
