from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "projectize.reports"

    def ready(self) -> None:
        # The roll-up's job handler registers itself on import; writes that change figures mark them.
        from projectize.reports import changes

        changes.connect()
