"""Safety of a deployment: what `manage.py check --deploy` reports, and the refusal to serve insecurely.

The embedded defaults (console e-mail and SMS, the development secret key) are fine on one person's
machine; each is reported here so a town that installs the system on a server learns what to set.
"""

from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

CONSOLE_SMS_BACKEND = "projectize.showcase.verification.ConsoleBackend"


def insecure_secret_key() -> str | None:
    """Why the secret key may not be used with DEBUG off, or None when it may."""
    key = settings.SECRET_KEY
    if settings.DEBUG:
        return None
    if not key or key == settings.DEVELOPMENT_SECRET_KEY:
        return (
            "SECRET_KEY is not set (the built-in development key is refused with DEBUG off). "
            "Set SECRET_KEY to a long random string, e.g. "
            '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"`, '
            "or set DEBUG=true on a development machine."
        )
    if len(key) < 32:
        return "SECRET_KEY is too short for a server: use at least 32 random characters."
    return None


def refuse_insecure_start() -> None:
    """Called by the WSGI and ASGI entry points (gunicorn, runserver): a server never starts insecurely."""
    reason = insecure_secret_key()
    if reason:
        raise ImproperlyConfigured(reason)


@register(Tags.security, deploy=True)
def deployment_settings(**kwargs: object) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    reason = insecure_secret_key()
    if reason:
        found.append(Error(reason, id="projectize.E001"))
    # The default cache holds verification codes and rate limits; the "figures" cache only copies of figures
    # (each process may keep its own).
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        found.append(
            Warning(
                "The cache is in-memory (LocMemCache): each server process has its own, so a verification "
                "code sent by one worker is unknown to the next.",
                hint="Leave CACHES to the default (a database table) or set REDIS_URL.",
                id="projectize.W001",
            )
        )
    if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
        found.append(
            Warning(
                "E-mail is printed on the console instead of being sent.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
                id="projectize.W002",
            )
        )
    if getattr(settings, "SHOWCASE_VERIFICATION_BACKEND", CONSOLE_SMS_BACKEND) == CONSOLE_SMS_BACKEND:
        found.append(
            Warning(
                "SMS verification codes go to the console backend: with DEBUG off no code is sent, "
                "so residents cannot vote.",
                hint="Set SMS_GATEWAY_URL (and SMS_GATEWAY_TOKEN), or SHOWCASE_VERIFICATION_BACKEND "
                "to your own backend.",
                id="projectize.W003",
            )
        )
    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    if media == static or static in media.parents:
        found.append(
            Error(
                "MEDIA_ROOT is inside STATIC_ROOT: uploaded files would be served to anyone, without a "
                "permission check.",
                hint="Keep MEDIA_ROOT outside STATIC_ROOT (the default is var/media).",
                id="projectize.E002",
            )
        )
    return found
