from django.urls import path

from projectize.orgs import options, views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("list/", views.organization_list, name="list"),
    path("suggest/", views.suggest, name="suggest"),
    path("options/", options.organization_options, name="options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/add/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/profile/", views.profile, name="profile"),
    path("<int:pk>/archive/", views.set_active, {"active": False}, name="archive"),
    path("<int:pk>/restore/", views.set_active, {"active": True}, name="restore"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/authenticator/reset/", views.user_totp_reset, name="user_totp_reset"),
    path("users/<int:pk>/deactivate/", views.user_set_active, {"active": False}, name="user_deactivate"),
    path("users/<int:pk>/activate/", views.user_set_active, {"active": True}, name="user_activate"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
]
