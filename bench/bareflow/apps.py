from django.apps import AppConfig


class BareFlowConfig(AppConfig):
    """A bench-only app (no models, no migrations): it only gives BareFlow an app label."""

    name = "bench.bareflow"
    label = "bench_bareflow"
    default_auto_field = "django.db.models.BigAutoField"
