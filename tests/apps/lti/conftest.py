"""Fixtures for LTI tests: a running test platform, registered for the demo district."""

from tests.apps.lti.platform import lms, registered

__all__ = ["lms", "registered"]
