from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "projectize.programmes"
