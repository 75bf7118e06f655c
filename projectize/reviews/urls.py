from django.urls import path

from projectize.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.my_reviews, name="mine"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/new/", views.rubric_create, name="rubric_create"),
    path("rubrics/<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/copy/", views.rubric_copy, name="rubric_copy"),
    path("rubrics/<int:pk>/active/", views.rubric_set_active, name="rubric_set_active"),
    path("rubrics/<int:pk>/ranking/", views.rubric_ranking, name="rubric_ranking"),
    path("all/", views.review_list, name="review_list"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("open/<int:type_id>/<int:object_id>/", views.review_open, name="open"),
]
