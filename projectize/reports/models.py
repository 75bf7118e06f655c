"""The roll-up behind the dashboard: every figure counted ahead of time for every organization's subtree.

A `Tally` row is one number for one subtree (the organization at the top of it), one year and one measure,
e.g. (新桥镇党委, 2017, "projects", "demonstration:concluded") → 22. A subtree's figures are the rows of
its organization: one indexed read whatever the size of the tree, and towns compare side by side by reading
the rows of several organizations at once. `OrganizationFigure` holds each organization's own totals for
the ranking. `Refresh` says when the figures of each part of the tree were counted (projectize.reports.rollup
counts them, in the background, after each change).
"""

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from projectize.orgs.models import Organization

# Tallies that count different units are counted once over all years too: a unit that took targets in two
# years is one unit of the whole period. Year 0 holds those, and figures that belong to no year.
ALL_YEARS = 0


class Tally(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=40)
    key = models.CharField(max_length=120, blank=True)
    count = models.BigIntegerField(default=0)
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("统计数")
        verbose_name_plural = _("统计数")
        constraints = [
            models.UniqueConstraint(fields=["organization", "measure", "year", "key"], name="unique_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.measure} {self.key}: {self.count} {self.amount}"


class OrganizationFigure(models.Model):
    """An organization's own projects (not its subtree's) and awards, per year and over all years, for the
    ranking."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    projects = models.PositiveIntegerField(default=0)
    concluded = models.PositiveIntegerField(default=0)
    problems_solved = models.BigIntegerField(default=0)
    beneficiaries = models.BigIntegerField(default=0)
    # Showcase awards to its nominations (in the showcase's year).
    awards = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("组织统计")
        verbose_name_plural = _("组织统计")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="unique_organization_figure")]
        indexes = [
            models.Index(
                "year",
                models.F("problems_solved").desc(),
                models.F("beneficiaries").desc(),
                models.F("concluded").desc(),
                name="organization_figure_rank",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class Refresh(models.Model):
    """When the figures of one part of the tree were last counted, and since when they lag behind.

    A part is a committee (a town) with the organizations whose nearest committee it is, or, with no
    organization, every organization above the committees (a district, a city)."""

    organization = models.OneToOneField(Organization, null=True, on_delete=models.CASCADE, related_name="+")
    counted_at = models.DateTimeField(null=True)
    # The first change not counted yet; empty when the figures are up to date.
    changed_at = models.DateTimeField(null=True)
    seconds = models.FloatField(_("耗时（秒）"), default=0)

    class Meta:
        verbose_name = _("统计更新")
        verbose_name_plural = _("统计更新")
        constraints = [models.UniqueConstraint(Coalesce("organization", 0), name="one_refresh_per_part")]

    def __str__(self) -> str:
        return f"{self.organization_id or '-'} {self.counted_at}"
