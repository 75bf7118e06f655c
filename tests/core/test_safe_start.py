"""A server installed as the README says is not in debug mode, refuses the development secret key, and
`check --deploy` names every embedded default that does not belong on a server."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks

from projectize.showcase import verification

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = "a-long-production-secret-0f3c9e7a5b1d4c8e9a2b6d0f7e3c1a5b9d8e7f6a"


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # A deployment's environment: none of the variables the tests or development set.
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_debug_is_off_unless_turned_on():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    assert _run(["-c", code], DJANGO_SETTINGS_MODULE="projectize.settings").stdout.strip() == "False"


def test_the_server_refuses_to_start_on_the_development_key():
    refused = _run(["-c", "import projectize.wsgi"])
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in refused.stderr
    started = _run(["-c", "import projectize.wsgi; print('started')"], SECRET_KEY=REAL_KEY)
    assert started.stdout.strip() == "started", started.stderr


def test_check_deploy_names_a_forgotten_secret_key_and_allowed_hosts():
    result = _run(["manage.py", "check", "--deploy"])
    assert result.returncode != 0
    for expected in ("projectize.E001", "security.W020", "projectize.W002", "projectize.W003"):
        assert expected in result.stderr, result.stderr


def _our_findings() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id and m.id.startswith("projectize.")]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}, "projectize.W001"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "projectize.W002"),
        ({"SHOWCASE_VERIFICATION_BACKEND": "projectize.showcase.verification.ConsoleBackend"}, "projectize.W003"),
        ({"MEDIA_ROOT": str(ROOT / "staticfiles" / "media")}, "projectize.E002"),
    ],
)
def test_each_embedded_default_is_flagged_for_deployment(settings, overrides, expected):
    # Start from a correct deployment, then change one thing.
    settings.DEBUG = False
    settings.SECRET_KEY = REAL_KEY
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SHOWCASE_VERIFICATION_BACKEND = "projectize.showcase.verification.HttpGatewayBackend"
    assert _our_findings() == []
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert _our_findings() == [expected]


def test_a_verification_code_is_never_printed_with_debug_off(settings, capsys):
    settings.DEBUG = False
    settings.SHOWCASE_VERIFICATION_BACKEND = "projectize.showcase.verification.ConsoleBackend"
    with pytest.raises(verification.VerificationError, match="短信验证码服务尚未配置"):
        verification.get_backend().send_code(mobile="13912345678", code="123456")
    assert "123456" not in capsys.readouterr().out
