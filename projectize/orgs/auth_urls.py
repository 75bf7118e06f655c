from django.contrib.auth import views as auth_views
from django.urls import path

from projectize.orgs import views
from projectize.orgs.auth import LoginForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("authenticator/", views.otp_setup, name="otp_setup"),
]
