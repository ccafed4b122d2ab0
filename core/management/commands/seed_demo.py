from django.core.management.base import BaseCommand, CommandError

from core import demo_seeders


class Command(BaseCommand):
    help = "Create (or find) the demo unions, people, documents and deadlines. Safe to run twice."

    def add_arguments(self, parser):
        # a feature's demo test seeds what its feature builds on and stops there; the whole demo is
        # seeded by `make run` and by tests/core/test_seed_demo.py
        parser.add_argument(
            "--through", metavar="SEEDER", help="stop after this seeder (its name, e.g. 'reports')"
        )

    def handle(self, *args, through=None, **options):
        seeders = demo_seeders.seeders()
        if through is not None:
            last = next((s.order for s in seeders if s.name == through), None)
            if last is None:
                names = ", ".join(s.name for s in seeders)
                raise CommandError(f"no demo seeder is named {through!r}: {names}")
            seeders = [s for s in seeders if s.order <= last]
        for seeder in seeders:
            seeder.run(write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
