from django.urls import include, path

from projectize.needs import views

app_name = "needs"
# Residents' pages: no login. Also on each town's own site, /t/<slug>/needs/ (projectize.orgs.sites).
public_urlpatterns = [
    path("new/", views.public_new, name="public_new"),
    path("similar/", views.public_similar, name="similar"),
    path("track/", views.public_track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.public_track, name="track"),
    path("track/<str:code>/photo/", views.public_photo, name="track_photo"),
    path("<int:pk>/support/", views.public_support, name="support"),
]
urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_create, name="create"),
    path("<int:pk>/", views.need_detail, name="detail"),
    path("<int:pk>/reply/", views.need_reply, name="reply"),
    path("<int:pk>/merge/", views.need_merge, name="merge"),
    path("duplicates/", views.duplicate_queue, name="duplicates"),
    path("duplicates/<int:pk>/dismiss/", views.duplicate_dismiss, name="duplicate_dismiss"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<int:pk>/", views.category_list, name="category_edit"),
    path("public/", include(public_urlpatterns)),
]
