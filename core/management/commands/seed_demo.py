from django.core.management.base import BaseCommand

from core import demo_seeders


class Command(BaseCommand):
    help = "Create (or find) the demo unions, people, documents and deadlines. Safe to run twice."

    def handle(self, *args, **options):
        for seeder in demo_seeders.seeders():
            seeder.run(write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
