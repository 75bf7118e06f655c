from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projectize.projects"
