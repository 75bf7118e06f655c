from django.apps import AppConfig


class WorkflowExampleConfig(AppConfig):
    """A tiny process installed only for tests, to prove the workflow engine on its own."""

    name = "tests.workflow_example"
    label = "workflow_example"
    default_auto_field = "django.db.models.BigAutoField"
