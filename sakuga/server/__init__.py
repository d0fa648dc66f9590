"""`sakuga serve`: the HTTP API, OpenAI-compatible image endpoints and the studio page
(`app.create_app`), behind the security middleware (`security`)."""
