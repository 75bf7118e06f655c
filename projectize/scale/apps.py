from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Synthetic data at town, district and city size for the benchmark (`manage.py generate_scale`).

    It writes every domain app's tables directly, so it sits on top of them like `reports`;
    nothing imports it and it has no models of its own.
    """

    name = "projectize.scale"
