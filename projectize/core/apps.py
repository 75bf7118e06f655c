from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "projectize.core"

    def ready(self) -> None:
        from projectize.core import checks  # noqa: F401 - registers the deployment checks
