from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "projectize.reports"

    def ready(self) -> None:
        # The roll-up's job handler registers itself on import; writes that change figures mark them.
        from projectize.core import totals
        from projectize.reports import changes, selectors

        changes.connect()
        # The public home page's counters (the portal cannot import reports) read the roll-up through core.
        totals.register("outcomes", selectors.outcomes_everywhere)
        totals.register_per_organization("town figures", selectors.town_figures)
