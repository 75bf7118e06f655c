from django.urls import path

from projectize.showcase import views

app_name = "showcase"
urlpatterns = [
    path("", views.showcase_list, name="list"),
    path("new/", views.showcase_create, name="create"),
    path("<int:pk>/", views.showcase_detail, name="detail"),
    path("<int:pk>/edit/", views.showcase_edit, name="edit"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/nominations.xlsx", views.nominations_export, name="nominations_export"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/votes/", views.nomination_votes_review, name="nomination_votes"),
    path("awards/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
