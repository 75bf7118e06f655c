from django.apps import AppConfig


class InstallConfig(AppConfig):
    name = "projectize.install"
