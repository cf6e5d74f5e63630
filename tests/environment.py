"""A pytest plugin loaded before pytest-django imports the settings.

It marks the process as a test run, so settings use a development SECRET_KEY
instead of refusing to start; DEBUG stays as the environment says.
"""

import os

os.environ.setdefault("KB_TESTING", "1")
