"""Layer 0: pure-Python engines (tracing, planning, scheduling, grading, stats); no Django."""
