"""Celery for background work at scale; with no REDIS_URL tasks run eagerly in the caller."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "projectize.settings")
app = Celery("projectize")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
