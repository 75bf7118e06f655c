from django.urls import path

from projectize.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("calendar/", views.activity_calendar, name="activity_calendar"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("projects/<int:project_pk>/", views.project_record, name="project_record"),
    path("projects/<int:project_pk>/analysis/new/", views.analysis_create, name="analysis_create"),
    path("projects/<int:project_pk>/guidance/new/", views.guidance_create, name="guidance_create"),
    path("projects/<int:project_pk>/follow-up/", views.follow_up, name="follow_up"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/new/", views.letter_create, name="letter_create"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("items/<int:pk>/answer/", views.item_answer, name="item_answer"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/evaluate/", views.evaluate_now, name="evaluate_now"),
    path("rules/", views.rules, name="rules"),
    path("accountability/", views.record_list, name="record_list"),
    path("accountability/new/", views.record_create, name="record_create"),
    path("accountability/people/", views.record_people, name="record_people"),
    path("accountability/organizations/<int:org_pk>/", views.summary, name="summary"),
]
