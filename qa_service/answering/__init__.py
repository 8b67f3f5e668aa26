"""The extractive answerer: question analysis, typed candidates, fitted scoring, calibrated abstention."""
