from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "projectize.programmes"

    def ready(self) -> None:
        from projectize.programmes import brand  # noqa: F401  (the sign-in receiver)
