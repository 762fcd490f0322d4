"""HTML reports of a validated corpus (see corpus.py)."""
