"""Effects and recipients of a need's steps, and what its page says next.

Every step is shown to the submitter on the tracking page as an update. Linking and merging take their input on
the need's page (the step's form): the service passes it to the step, which calls `link_target` or `merge_into`.
"""

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projectize.core.activity import jsonable
from projectize.core.services import log_activity
from projectize.core.workflow import NextStep
from projectize.needs.models import Need, Support
from projectize.orgs.models import User


def record_update(need: Need, actor: User | None, note: str, verb: str = "", **params: Any) -> None:
    """What happened (`verb`, worded in the reader's language) and the staff's note if any."""
    need.updates.create(need_status=need.status, verb=verb, params=jsonable(params), message=note, author=actor)
    need.first_response_at = need.first_response_at or timezone.now()


def link_target(need: Need, target: models.Model, actor: User, note: str) -> None:
    """The “关联标的” step's input: the target that answers the need (a target of the programmes app)."""
    need.target = target  # type: ignore[assignment]
    record_update(need, actor, note, "need.planned", target=target)


def merge_into(need: Need, survivor: Need, actor: User, note: str) -> None:
    """The “合并” step's input: the need it is merged into."""
    need.merged_into = survivor
    record_update(need, actor, note, "need.merged", title=survivor.title)


def unmerge(need: Need, actor: User, note: str) -> None:
    """Undo a merge: the need's own supports come back and both needs are handled apart again."""
    survivor = need.merged_into
    assert survivor is not None
    returned = Support.objects.filter(need=survivor, origin=need).update(need=need)
    # The counters follow the supports in the step's transaction (the step saves `need`, a locked row).
    need.support_count += returned
    Need.objects.filter(pk=survivor.pk).update(support_count=F("support_count") - returned)
    need.merged_into = None
    record_update(need, actor, note)
    survivor.updates.create(
        need_status=survivor.status, author=actor, verb="need.unmerged", params=jsonable({"title": need.title})
    )
    log_activity(
        actor=actor,
        action="need.release",
        target=survivor,
        params={"title": need.title, "count": returned},
    )


def reporters(need: Need) -> list[User]:
    """Account holders who brought the need in (staff entry, grassroots reports) and are told of each step."""
    people = [need.reported_by] if need.reported_by is not None else []
    people += [m.reported_by for m in need.absorbed.select_related("reported_by") if m.reported_by is not None]
    return people


def merged_waiting(user: User, need: Need) -> NextStep:
    """A merged need is handled in the need it was merged into."""
    text = _("本需求已合并到需求 #%(pk)s，后续在该需求中办理；如合并有误，可撤销合并。") % {"pk": need.merged_into_id}
    return NextStep(text, need.merged_into.get_absolute_url() if need.merged_into else "", tone="info")
