"""With DEBUG off (production), templates come from the cached loader and database connections are kept
between requests, checked before reuse."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.template import engines
loaders = engines["django"].engine.template_loaders
print(json.dumps({
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "loaders": [f"{type(loader).__module__}" for loader in loaders],
    "inner": [type(inner).__module__ for loader in loaders for inner in getattr(loader, "loaders", [])],
}))
"""


def settings_with(**env: str) -> dict:
    inherited = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "projectize.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_connections_and_compiled_templates():
    found = settings_with(DEBUG="false", SECRET_KEY="a-long-production-secret-0f3c9e7a5b1d4c8e9a2b6d0f7e3c1a5b9d8e7f6a")
    assert found["conn_max_age"] == 600 and found["health_checks"] is True
    assert found["loaders"] == ["django.template.loaders.cached"]
    assert found["inner"] == ["django.template.loaders.filesystem", "django.template.loaders.app_directories"]


def test_development_opens_a_connection_per_request_and_an_operator_may_choose():
    assert settings_with(DEBUG="true")["conn_max_age"] == 0
    chosen = settings_with(DEBUG="false", SECRET_KEY="x" * 60, CONN_MAX_AGE="0")
    assert chosen["conn_max_age"] == 0
