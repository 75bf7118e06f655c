"""/api/v1/: the API, its schema and its reference page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from projectize.api import docs, open_data, views

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("needs", views.NeedViewSet, basename="need")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("targets", views.TargetViewSet, basename="target")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("reports", views.ReportViewSet, basename="report")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("funds/budgets", views.BudgetViewSet, basename="budget")
router.register("funds/allocations", views.AllocationViewSet, basename="allocation")
router.register("funds/disbursements", views.DisbursementViewSet, basename="disbursement")
router.register("showcases", views.ShowcaseViewSet, basename="showcase")
router.register("open/targets", open_data.OpenTargetViewSet, basename="open-target")
router.register("open/awards", open_data.OpenAwardViewSet, basename="open-award")
router.register("open/projects", open_data.OpenProjectViewSet, basename="open-project")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.reference, name="docs"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("open/outcomes/", open_data.OpenOutcomesView.as_view(), name="open-outcomes"),
    path("workflow/<str:model>/<str:pk>/", views.WorkflowStateView.as_view(), name="workflow-state"),
    path("workflow/<str:model>/<str:pk>/<slug:step>/", views.WorkflowStepView.as_view(), name="workflow-step"),
    *router.urls,
    # Any other address under /api/v1/ answers as the API does, with problem details, not the site's HTML page.
    re_path(r"^[\s\S]*$", docs.not_found, name="not-found"),
]
