"""Refresh every English catalog: each app's strings go to that app's own locale/ folder.

Run from the repository root: `.venv/bin/python scripts/makemessages.py [app ...]` (no app: all of
them, and the project's shared templates). Django's makemessages
is run from inside each app folder (so the catalog stays the app's own), with Django set up
first from the root: started inside an app, an app's rules.py would hide the `rules` package.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectize.settings")

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402

django.setup()
chosen = sys.argv[1:]
catalogs = [*sorted((ROOT / "projectize").glob("*/locale")), ROOT / "projectize" / "locale"]
for locale in [c for c in catalogs if not chosen or c.parent.name in chosen]:
    folder = locale.parent
    os.chdir(folder)
    # The project-level catalog holds the shared templates only; the apps hold their own.
    ignore = [p.name for p in folder.iterdir() if (p / "locale").is_dir()] if folder.name == "projectize" else []
    call_command("makemessages", locale=["en"], ignore_patterns=[*ignore, "static"], verbosity=0)
