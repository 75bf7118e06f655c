from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "projectize.orgs"

    def ready(self) -> None:
        # Connects the sign-in receiver that decides the account-policy steps.
        from projectize.orgs import policy  # noqa: F401
