from django.apps import AppConfig


class KindExampleConfig(AppConfig):
    """A document kind that exists only in the test settings: the proof that a kind is a declaration."""

    name = "tests.kind_example"
    label = "kind_example"

    def ready(self):
        from workflows import registry

        from .kind import KIND  # the flow and the services need the app registry ready

        registry.register(KIND)
