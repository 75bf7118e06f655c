from django.urls import include, path

from projectize.programmes import views

app_name = "programmes"
# Public pages: no login. Also on each town's own site, /t/<slug>/programmes/ (projectize.orgs.sites).
public_urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("targets/<int:pk>/", views.public_target, name="public_target"),
]
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_edit, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/edit/", views.programme_edit, name="edit"),
    path("<int:pk>/publish/", views.programme_publish, name="publish_all"),
    path("<int:programme_pk>/sections/new/", views.section_edit, name="section_create"),
    path("<int:programme_pk>/sections/<int:pk>/", views.section_edit, name="section_edit"),
    path("<int:programme_pk>/targets/new/", views.target_edit, name="target_create"),
    path("<int:programme_pk>/targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/republish/", views.target_republish, name="target_republish"),
    path("needs/<int:pk>/link/", views.need_link, name="need_link"),
    path("public/", include(public_urlpatterns)),
]
