"""Evaluation of the question-answering service against a JSON Lines test set (`qa eval`)."""
