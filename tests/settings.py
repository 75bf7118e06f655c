"""Settings for the test run: the project's own, in development mode (DEBUG is off unless turned on)."""

import os

os.environ.setdefault("DEBUG", "true")

from projectize.settings import *  # noqa: F403
