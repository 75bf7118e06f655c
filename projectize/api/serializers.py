"""What the API shows of each object: ISO dates, money as strings with two decimals, codes with their labels.

No serializer carries a resident's or contact's name, mobile or address: integrations get the facts of the
work, never the people who raised it.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projectize.claims.models import Claim
from projectize.funds.models import Allocation, Budget, Disbursement
from projectize.needs.models import Channel, Need
from projectize.orgs.models import Organization
from projectize.programmes.models import Programme, Section, Target
from projectize.projects.models import Indicator, Milestone, ProgressReport, Project
from projectize.showcase.models import Showcase
from projectize.supervision.models import Letter

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True, "read_only": True}


def label_of(field: str) -> serializers.CharField:
    """The human label of a choice field, in the caller's language."""
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind")

    class Meta:
        model = Organization
        # `path` is the tree's materialized path: a parent's path is its children's without the last 4 characters.
        fields = ["id", "name", "kind", "kind_label", "depth", "path", "is_active"]


class NeedSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    channel_label = label_of("channel")
    category_name = serializers.CharField(source="category.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "code",
            "title",
            "description",
            "organization",
            "category",
            "category_name",
            "area",
            "area_name",
            "location",
            "channel",
            "channel_label",
            "status",
            "status_label",
            "target",
            "merged_into",
            "created_at",
            "first_response_at",
        ]


class NeedCreateSerializer(serializers.Serializer):
    """A need recorded by an integration on a staff channel (hotline, grid, visit …), as staff do on the page."""

    organization = serializers.IntegerField(help_text=_("受理需求的镇党委（组织编号）"))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    category = serializers.IntegerField(help_text=_("需求类别编号"))
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.PORTAL])
    area = serializers.IntegerField(required=False, allow_null=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source_organization = serializers.IntegerField(required=False, allow_null=True)


class ProgrammeSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "organization",
            "organization_name",
            "year",
            "title",
            "description",
            "claim_opens",
            "claim_closes",
        ]


class SectionSerializer(serializers.ModelSerializer):
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "programme", "title", "description", "order", "targets"]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_targets(self, section: Section) -> list[int]:
        return [target.pk for target in getattr(section, "board_targets", [])]


class TargetSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    support_funds = serializers.DecimalField(**MONEY)

    class Meta:
        model = Target
        fields = [
            "id",
            "programme",
            "section",
            "title",
            "description",
            "expected_outcomes",
            "resources_required",
            "support_funds",
            "max_units",
            "requirements",
            "status",
            "status_label",
            "claim_deadline",
            "published_at",
            "notice_starts_at",
            "notice_ends_at",
        ]


class ClaimSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "target",
            "organization",
            "organization_name",
            "status",
            "status_label",
            "plan",
            "reasons",
            "submitted_at",
            "is_lead",
            "decided_at",
            "project",
        ]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "target", "actual", "is_custom"]


class MilestoneSerializer(serializers.ModelSerializer):
    status_label = label_of("status")

    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "status", "status_label"]


class OutcomesSerializer(serializers.Serializer):
    rules_established = serializers.IntegerField(min_value=0)
    problems_solved = serializers.IntegerField(min_value=0)
    service_brands = serializers.IntegerField(min_value=0)
    beneficiaries = serializers.IntegerField(min_value=0)


class ProjectSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    type_label = label_of("type")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    budget_requested = serializers.DecimalField(**MONEY)
    outcomes = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "year",
            "type",
            "type_label",
            "status",
            "status_label",
            "organization",
            "organization_name",
            "origin",
            "budget_requested",
            "start_date",
            "end_date",
            "progress",
            "outcomes",
            "approved_at",
            "concluded_at",
            "updated_at",
        ]

    @extend_schema_field(OutcomesSerializer)
    def get_outcomes(self, project: Project) -> dict[str, int]:
        return outcomes_of(project)


def outcomes_of(project: Project) -> dict[str, int]:
    return {
        "rules_established": project.rules_established,
        "problems_solved": project.problems_solved,
        "service_brands": project.service_brands,
        "beneficiaries": project.beneficiaries,
    }


class ProjectDetailSerializer(ProjectSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "background",
            "approach",
            "measures",
            "expected_effects",
            "conclusion_summary",
            "indicators",
            "milestones",
        ]


class ReportSerializer(serializers.ModelSerializer):
    status_label = label_of("status")

    class Meta:
        model = ProgressReport
        fields = ["id", "project", "number", "due_date", "status", "status_label", "content", "submitted_at"]


class ActualSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReportSubmitSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=20000)
    actuals = ActualSerializer(many=True, required=False, default=list)


class ConclusionSerializer(serializers.Serializer):
    """The 结题 summary: the outcome counters, final indicator actuals; the project concludes."""

    summary = serializers.CharField(max_length=20000)
    outcomes = OutcomesSerializer()
    actuals = ActualSerializer(many=True, required=False, default=list)


class StepSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AvailableStepSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    requires_note = serializers.BooleanField()
    needs_form = serializers.BooleanField(help_text=_("该步骤须在页面表单或专门的接口中提交"))
    blocked_by = serializers.CharField(allow_null=True)


class WorkflowStateSerializer(serializers.Serializer):
    model = serializers.CharField()
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    steps = AvailableStepSerializer(many=True)


class LetterSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    number = serializers.CharField(read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "number",
            "title",
            "issuer",
            "organization",
            "project",
            "status",
            "status_label",
            "issued_on",
            "acknowledged_at",
        ]


class BudgetSerializer(serializers.ModelSerializer):
    kind_label = label_of("kind")
    amount = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)

    class Meta:
        model = Budget
        fields = ["id", "organization", "year", "kind", "kind_label", "amount", "committed", "paid"]


class AllocationSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY)
    drawn = serializers.DecimalField(**MONEY)
    year = serializers.IntegerField(source="budget.year", read_only=True)
    kind = serializers.CharField(source="budget.kind", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "budget", "year", "kind", "project", "grade", "amount", "drawn", "reverses", "created_at"]


class DisbursementSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    amount = serializers.DecimalField(**MONEY)
    project = serializers.IntegerField(source="allocation.project_id", read_only=True, allow_null=True)

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "allocation",
            "project",
            "amount",
            "purpose",
            "paid_on",
            "status",
            "status_label",
            "reverses",
            "requested_at",
            "decided_at",
        ]


class ShowcaseSerializer(serializers.ModelSerializer):
    status_label = label_of("status")

    class Meta:
        model = Showcase
        fields = [
            "id",
            "organization",
            "year",
            "title",
            "theme",
            "status",
            "status_label",
            "nomination_opens",
            "nomination_closes",
            "voting_opens",
            "voting_closes",
            "published_at",
        ]


class CountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField(allow_null=True)
    outcomes = OutcomesSerializer()
    projects_by_status = CountSerializer(many=True)
    projects_by_type = CountSerializer(many=True)
    needs_by_status = CountSerializer(many=True)


# ---- open data ----------------------------------------------------------------------------------


class OpenTargetSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    programme_title = serializers.CharField(source="programme.title", read_only=True)
    year = serializers.IntegerField(source="programme.year", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True, default=None, allow_null=True)
    support_funds = serializers.DecimalField(**MONEY)

    class Meta:
        model = Target
        fields = [
            "id",
            "year",
            "programme_title",
            "section_title",
            "title",
            "description",
            "expected_outcomes",
            "support_funds",
            "max_units",
            "status",
            "status_label",
            "claim_deadline",
            "published_at",
        ]


class OpenAwardSerializer(serializers.ModelSerializer):
    target_title = serializers.CharField(source="target.title", read_only=True)
    year = serializers.IntegerField(source="target.programme.year", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Claim
        fields = ["id", "year", "target", "target_title", "organization_name", "is_lead", "decided_at", "project_code"]


class OpenProjectSerializer(serializers.ModelSerializer):
    status_label = label_of("status")
    type_label = label_of("type")
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    rules_established = serializers.IntegerField(read_only=True)
    problems_solved = serializers.IntegerField(read_only=True)
    service_brands = serializers.IntegerField(read_only=True)
    beneficiaries = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "year",
            "type",
            "type_label",
            "organization_name",
            "status",
            "status_label",
            "progress",
            "start_date",
            "end_date",
            "concluded_at",
            "rules_established",
            "problems_solved",
            "service_brands",
            "beneficiaries",
        ]


class OpenOutcomesSerializer(serializers.Serializer):
    licence = serializers.DictField(child=serializers.CharField())
    rules_established = serializers.IntegerField()
    problems_solved = serializers.IntegerField()
    service_brands = serializers.IntegerField()
    beneficiaries = serializers.IntegerField()


def as_dict(data: Any) -> dict[str, Any]:
    return dict(data)
