"""Installing a town: its first run (page and `setup_town`), the demo (`load_demo`, `remove_demo`).

The top layer: setting a town up touches every app (the committee and its admin, need categories,
scoring standards, warning rules), so it sits above them all and nobody imports it.
"""
