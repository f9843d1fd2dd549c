"""Watching on the user's behalf: budgets, alerts and the coverage ledger. Reads the services' figures;
the tray and the HTTP API show what it finds."""
