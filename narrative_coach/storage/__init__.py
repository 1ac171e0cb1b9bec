"""Where drafts live: SQLAlchemy models, the one engine factory, migrations, audio files, backups.

Nothing here commits on its own or imports Qt or analysis; the use cases in
`narrative_coach.app.library` own the transactions.
"""
