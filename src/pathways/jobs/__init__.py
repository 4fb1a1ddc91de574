"""Layer 2: batch jobs (nightly recalibration, tomorrow's schedules), run locally or on Dask.

Rule: workers receive arrays, dataclasses and engine functions only; the ORM stays on the driver.
"""
