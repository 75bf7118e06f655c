from django.urls import path

from projectize.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("logo/", views.logo, name="logo"),
    path("care-mode/", views.care_mode, name="care_mode"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("showcase/", views.showcases, name="showcases"),
    path("showcase/<int:pk>/", views.showcase, name="showcase"),
    path("showcase/<int:pk>/code/", views.showcase_code, name="showcase_code"),
    path("showcase/<int:pk>/verify/", views.showcase_verify, name="showcase_verify"),
    path("showcase/<int:pk>/vote/<int:nomination_pk>/", views.showcase_vote, name="showcase_vote"),
    path("showcase/<int:pk>/commendation/", views.commendation, name="commendation"),
    path("photos/<int:pk>/", views.nomination_photo, name="photo"),
]
