from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "projectize.needs"
