"""The month's clearing run per currency, by hand (the beat schedule runs it on the 1st):
proposed once per currency and month, executed too when CLEARING_AUTO_EXECUTE is set."""

from django.core.management.base import BaseCommand

from clearing.services import clearing_runs_monthly


class Command(BaseCommand):
    help = "Propose (and, if the setting allows, execute) this month's clearing run per currency."

    def handle(self, *args: object, **options: object) -> None:
        for run in clearing_runs_monthly():
            self.stdout.write(
                f"{run.currency} {run.period}: run {run.pk} {run.status}, "
                f"{run.cleared_amount} of {run.volume_amount} cleared"
            )
