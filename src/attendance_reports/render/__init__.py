"""Report models -> text, tables, charts, page sources, HTML and PDF (engines)."""
