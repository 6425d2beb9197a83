"""What the whole suite (tests/ and each plugin's tests) shares.

Property tests have no deadline per example: the suite runs on loaded machines (CI, and
two workers at once), where a deadline turns load into failures. Speed is measured in
``benchmarks/``, never asserted in tests.
"""

from hypothesis import settings

settings.register_profile("corehub", deadline=None)
settings.load_profile("corehub")
