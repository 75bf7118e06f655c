import sys
from pathlib import Path

from django.apps import AppConfig

# Processes that answer residents: they load the word dictionary before their first request.
SERVING_COMMANDS = {"runserver", "run_jobs"}


def is_serving(argv: list[str]) -> bool:
    program = Path(argv[0]).name if argv else ""
    return program.startswith(("gunicorn", "celery")) or (len(argv) > 1 and argv[1] in SERVING_COMMANDS)


class NeedsConfig(AppConfig):
    name = "projectize.needs"

    def ready(self) -> None:
        if is_serving(sys.argv):
            from projectize.needs.similarity import warm

            warm()
