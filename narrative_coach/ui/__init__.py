"""The desktop window (PySide6). The only package that imports Qt.

Widgets hold no business logic: they call the use cases in `narrative_coach.app` through
`workers.Runner`, and draw the report dict those use cases return.
"""
