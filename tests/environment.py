"""Loaded by pytest before Django starts (see addopts): what every test run needs whatever the environment.

A database URL switches DEBUG off, and then the settings refuse to start without a secret key; a test run
signs nothing that outlives it, so a throwaway key is enough when none is given.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-run-only-not-secret")
