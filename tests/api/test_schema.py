"""The schema in the repository (api/openapi.yaml) is the one the code generates: change both together
(`python manage.py spectacular --file api/openapi.yaml`)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from rest_framework.test import APIClient

SCHEMA = Path(__file__).resolve().parents[2] / "api" / "openapi.yaml"


def test_the_checked_in_schema_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    with translation.override("zh-hans"):
        call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert generated.read_text() == SCHEMA.read_text(), (
        "api/openapi.yaml is out of date: run `python manage.py spectacular --file api/openapi.yaml`"
    )


@pytest.mark.django_db
def test_the_schema_and_its_reference_page_are_served_without_login():
    schema = APIClient().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200 and schema.json()["openapi"] == "3.1.0"
    page = APIClient().get("/api/v1/docs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js" in text
        and "http" not in text.split("<body>")[1].split("</header>")[1]
    )
