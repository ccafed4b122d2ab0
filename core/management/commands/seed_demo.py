from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, seed_demo
from notifications.demo import seed_demo_calendar


class Command(BaseCommand):
    help = "Create (or find) the demo unions, bodies, people and seats. Safe to run twice."

    def handle(self, *args, **options):
        logins = seed_demo()
        from workflows.demo import seed_demo_budgets

        for line in seed_demo_budgets():
            self.stdout.write(f"  demo budget: {line}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {len(logins)} logins, password: {DEMO_PASSWORD}")
        )
        shown = [
            row
            for row in logins
            if row[0].split("-")[-1] in {"chair", "supervisor", "office", "audit", "party", "rep1", "finance"}
            or row[0] == "admin"
        ]
        for username, name, what in shown:
            self.stdout.write(f"  {username:<22} {name:<6} {what}")
        self.stdout.write(f"  … and {len(logins) - len(shown)} more (see /admin/ → people).")
        seed_demo_calendar(write=self.stdout.write)
        from workflows.plan.demo import seed_demo_plans

        for line in seed_demo_plans():
            self.stdout.write(f"  demo plan: {line}")
        from workflows.reports.demo import seed_demo_reports

        seed_demo_reports(write=self.stdout.write)
        from workflows.final_accounts.demo import seed_demo_final_accounts

        seed_demo_final_accounts(write=self.stdout.write)
        from workflows.budget_adjustment.demo import seed_demo_adjustments

        seed_demo_adjustments(write=self.stdout.write)
        from workflows.execution.demo import seed_demo_execution

        seed_demo_execution(write=self.stdout.write)
        from oversight.demo import seed_demo_oversight

        seed_demo_oversight(write=self.stdout.write)
