"""The events an integration hears of, read off the activity log as each entry is written.

Every service and workflow step writes its entry in the transaction of its change, so an event is raised
exactly when the change is made, and vanishes with it if the transaction rolls back. No lower app knows of
this: the API listens to core's log, a model every app writes to.
"""

from typing import Any

from django.db.models.signals import post_save

from projectize.core.models import ActivityLog

# Activity code -> event code.
EVENTS = {
    "need.create": "need.received",
    "target.publish": "target.published",
    "project.conclude": "project.concluded",
}


def _on_log(sender: type[ActivityLog], instance: ActivityLog, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    event = EVENTS.get(instance.action)
    if event is None:
        return
    from projectize.api.webhooks import deliveries_enqueue  # the webhooks import the models of every app

    deliveries_enqueue(event=event, entry=instance)


def connect() -> None:
    post_save.connect(_on_log, sender=ActivityLog, dispatch_uid="api.events")
