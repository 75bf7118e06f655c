from django.urls import path

from projectize.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("budgets/new/", views.budget_create, name="budget_create"),
    path("budgets/<int:pk>/", views.budget_detail, name="budget_detail"),
    path("tiers/", views.tiers, name="tiers"),
    path("allocations/", views.allocation_list, name="allocation_list"),
    path("allocations/new/", views.allocation_create, name="allocation_create"),
    path("awards/new/", views.award_create, name="award_create"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/reverse/", views.allocation_reverse, name="allocation_reverse"),
    path("allocations/<int:pk>/disburse/", views.disbursement_create, name="disbursement_create"),
    path("disbursements/", views.disbursement_list, name="disbursement_list"),
    path("disbursements/<int:pk>/", views.disbursement_detail, name="disbursement_detail"),
    path("disbursements/<int:pk>/reverse/", views.disbursement_reverse, name="disbursement_reverse"),
    path("projects/", views.project_balances, name="project_balances"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
]
