"""Production static files: collectstatic with the manifest storage, as `make setup` runs it with DEBUG off."""

import json
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_with_the_manifest_storage_finds_every_referenced_file(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    # The vendored Bootstrap names its source maps; they are hashed and served beside it.
    assert "vendor/bootstrap/bootstrap.bundle.min.js.map" in manifest
    assert "vendor/bootstrap/bootstrap.min.css.map" in manifest
    assert (tmp_path / manifest["vendor/bootstrap/bootstrap.min.css"]).is_file()
