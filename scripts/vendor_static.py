"""Copy the front-end files we serve from node_modules into projectize/static/vendor.

A file that names its source map (`sourceMappingURL=…`) gets the map copied beside it: the manifest
storage of collectstatic rewrites that reference and fails when the map is missing.
"""

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "projectize" / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    # The API's reference page (/api/v1/docs/).
    "swagger-ui-dist/swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
    "swagger-ui-dist/swagger-ui.css": "swagger-ui/swagger-ui.css",
}

for source, target in FILES.items():
    destination = VENDOR / target
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(NODE / source, destination)
    text = destination.read_bytes()
    for name in re.findall(rb"sourceMappingURL=([\w.\-]+\.map)", text):
        shutil.copyfile((NODE / source).parent / name.decode(), destination.parent / name.decode())
