"""Flexible learning environment: school resources and tomorrow's groups and stations."""
