"""``python -m assistant.cli`` runs the CLI (used by tests and scripts)."""

from assistant.cli import main

main()
