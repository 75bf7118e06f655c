"""The probes a proxy and monitoring call, without logging in."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_cache_and_storage(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_answers_503_naming_the_part_that_fails(client, tmp_path):
    unwritable = tmp_path / "not-a-folder"
    unwritable.write_text("a file where the upload folder should be")
    with override_settings(MEDIA_ROOT=str(unwritable)):
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["storage"] != "ok" and checks["database"] == "ok"
