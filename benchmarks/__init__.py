"""`make bench`: the performance figures of issue #5, measured against a throwaway
PostgreSQL and gunicorn. See `benchmarks/run.py`."""
