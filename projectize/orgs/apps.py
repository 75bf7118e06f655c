from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "projectize.orgs"
