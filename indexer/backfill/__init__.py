"""`backfill`: a channel's history in bulk, each revision evaluated as a Dask task."""
