"""What every `manage.py` call pays for, what each log line and schedule entry does once, where test files go."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "projectize.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_loading_every_url_and_model_leaves_the_heavy_libraries_unimported() -> None:
    result = _python(
        "import sys, django; django.setup(); import projectize.urls; from django.urls import get_resolver;"
        " get_resolver().url_patterns;"
        " print(' '.join(m for m in ('weasyprint', 'openpyxl', 'jieba') if m in sys.modules))"
    )
    assert result.stdout.strip() == ""


def test_a_django_log_line_is_printed_once() -> None:
    result = _python(
        "import django, logging; django.setup(); logging.getLogger('django.request').error('once-only-marker')"
    )
    assert result.stderr.count("once-only-marker") == 1


def test_json_logs_are_one_object_per_line() -> None:
    result = _python(
        "import django, logging; django.setup(); logging.getLogger('projectize').warning('多字节 marker')",
        LOG_FORMAT="json",
    )
    assert '"message": "多字节 marker"' in result.stderr
    assert '"level": "WARNING"' in result.stderr


def test_the_daily_warning_check_is_scheduled_once() -> None:
    result = _python(
        "import django; django.setup(); from projectize.celery import app; app.loader.import_default_modules();"
        " app.finalize(auto=True);"
        " print(sum(e['task'] == 'supervision.evaluate_warnings' for e in app.conf.beat_schedule.values()))"
    )
    assert result.stdout.strip() == "1"


def test_tests_write_uploads_outside_the_installation() -> None:
    assert not Path(settings.MEDIA_ROOT).resolve().is_relative_to(ROOT)
