"""HTTP API and web studio (`sakuga serve`). Not built yet: issue 8."""
