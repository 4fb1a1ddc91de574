"""Pathways: open-source personalized learning for K-12 schools and districts."""

__version__ = "0.1.0"
