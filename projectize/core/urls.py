from django.urls import path

from projectize.core import health, job_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("workflow/<str:model>/<str:pk>/<slug:name>/", views.transition, name="transition"),
    path("activity/", views.activity_log, name="activity_log"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("jobs/", job_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
]
