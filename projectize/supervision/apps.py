from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "projectize.supervision"

    def ready(self) -> None:
        # The 督办 records and buttons on each row of the projects' overdue list (projects imports no app above it).
        from projectize.projects.selectors import add_overdue_follow_up
        from projectize.supervision.follow_ups import OVERDUE_FOLLOW_UP

        add_overdue_follow_up(OVERDUE_FOLLOW_UP)
