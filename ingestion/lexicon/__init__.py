"""Vietnamese domain knowledge as data: patterns, word lists and alias tables, one place."""
