from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "projectize.api"
    label = "api"
    verbose_name = _("数据接口")

    def ready(self) -> None:
        # Fills core's registries: the wording of this app's log entries and the webhook job; and listens to
        # the activity log for the events webhooks carry, so no lower app imports this one.
        from projectize.api import events, rules, services, webhooks  # noqa: F401
        from projectize.core.activity import ACTIONS

        ACTIONS.update(services.WORDING)
        events.connect()
