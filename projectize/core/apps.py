from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "projectize.core"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from projectize.core import (
            checks,  # noqa: F401 - registers the deployment checks
            pagecache,
        )
        from projectize.core.home import cards_changed
        from projectize.core.models import ActivityLog

        # The home page's cards are kept briefly; anything logged has them counted again.
        post_save.connect(cards_changed, sender=ActivityLog, dispatch_uid="core-home-cards")
        # So are the whole pages kept for their readers, where the entry's organization shows.
        post_save.connect(pagecache.logged_change, sender=ActivityLog, dispatch_uid="core-page-cache")

        # Each app's transition tables register themselves with their models (core.workflow).
        autodiscover_modules("workflows")
