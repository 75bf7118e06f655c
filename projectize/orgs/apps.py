from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "projectize.orgs"

    def ready(self) -> None:
        # Connects the sign-in receiver that decides the account-policy steps, and registers the
        # Excel import's background job with the worker.
        from projectize.core.pagecache import set_tree
        from projectize.core.selectors import set_activity_scope
        from projectize.orgs import imports, policy, selectors, sites  # noqa: F401
        from projectize.orgs.models import Organization

        # The activity log's entries are read by organization, down the tree.
        set_activity_scope(selectors.activity_scope, dense=selectors.reads_district_logs)
        # Pages are kept per reader until their part of the tree changes (core.pagecache).
        set_tree(sites.page_readers, step=Organization.steplen)
