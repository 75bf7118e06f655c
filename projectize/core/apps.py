from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "projectize.core"

    def ready(self) -> None:
        from projectize.core import checks  # noqa: F401 - registers the deployment checks

        # Each app's transition tables register themselves with their models (core.workflow).
        autodiscover_modules("workflows")
