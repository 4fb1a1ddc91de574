"""Layer 0: pure-Python engines (tracing, planning, scheduling, grading, stats). Never imports Django."""
