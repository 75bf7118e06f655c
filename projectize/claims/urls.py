from django.urls import include, path

from projectize.claims import views

app_name = "claims"
# A public page: no login. Also on each town's own site, beside its targets: /t/<slug>/programmes/.
public_urlpatterns = [
    path("targets/<int:pk>/objection/", views.public_objection, name="public_objection"),
]
urlpatterns = [
    path("", views.my_claims, name="mine"),
    path("new/<int:target_pk>/", views.claim_edit, name="create"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/edit/", views.claim_edit, name="edit"),
    path("<int:pk>/decide/", views.claim_decide, name="decide"),
    path("targets/<int:pk>/", views.selection, name="selection"),
    path("targets/<int:pk>/reviews/", views.reviews_open, name="reviews_open"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("all/", views.claim_list, name="list"),
    path("statistics/", views.statistics, name="statistics"),
    path("public/", include(public_urlpatterns)),
]
