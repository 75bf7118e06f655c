from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "projectize.orgs"

    def ready(self) -> None:
        # Connects the sign-in receiver that decides the account-policy steps, and registers the
        # Excel import's background job with the worker.
        from projectize.orgs import imports, policy  # noqa: F401
