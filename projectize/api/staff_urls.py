from django.urls import path

from projectize.api import staff

app_name = "integrations"
urlpatterns = [
    path("tokens/", staff.token_list, name="tokens"),
    path("tokens/<int:pk>/", staff.token_detail, name="token"),
    path("tokens/<int:pk>/revoke/", staff.token_revoke, name="token_revoke"),
    path("webhooks/<int:pk>/disable/", staff.subscription_disable, name="subscription_disable"),
    path("deliveries/", staff.delivery_list, name="deliveries"),
]
