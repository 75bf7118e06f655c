"""Make sure the system packages the tests need are present.

Browser tests drive Debian's Chromium; PDF tests need CJK fonts and pdftotext; translations need
gettext. As root on Debian/Ubuntu we install what is missing; otherwise we say what to install.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

NEEDED = {
    "chromium": lambda: shutil.which("chromium") is not None,
    # Noto Sans CJK for pages and reports, Noto Serif CJK SC (a Song face) for official letters.
    "fonts-noto-cjk": lambda: Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc").exists(),
    "poppler-utils": lambda: shutil.which("pdftotext") is not None,
    "gettext": lambda: shutil.which("msgfmt") is not None,
    # The load tool of `make bench`.
    "wrk": lambda: shutil.which("wrk") is not None,
}

missing = [package for package, present in NEEDED.items() if not present()]
if not missing:
    sys.exit(0)
if os.geteuid() == 0 and shutil.which("apt-get"):
    print(f"Installing {' '.join(missing)} ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    sys.exit(0)
print(
    f"Missing system packages: {' '.join(missing)}.\nInstall them with: sudo apt-get install {' '.join(missing)}",
    file=sys.stderr,
)
sys.exit(1)
