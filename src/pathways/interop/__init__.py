"""Layer 0: standards formats (OneRoster, CASE, QTI, xAPI, LTI) read into dataclasses. No Django."""
