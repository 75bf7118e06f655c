from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "projectize.orgs"

    def ready(self) -> None:
        # Connects the sign-in receiver that decides the account-policy steps, and registers the
        # Excel import's background job with the worker.
        from projectize.core.selectors import set_activity_scope
        from projectize.orgs import imports, policy, selectors  # noqa: F401

        # The activity log's entries are read by organization, down the tree.
        set_activity_scope(selectors.activity_scope, dense=selectors.reads_district_logs)
