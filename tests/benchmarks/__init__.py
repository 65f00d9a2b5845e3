"""`make bench`: figures for the generated app against stock Masonite and a bare WSGI app.

Run with `python -m tests.benchmarks.run` from the repository root. Nothing here is
collected by pytest (no module is named test_*): speed belongs in these scripts, and
correctness in the test suite.
"""
