from django.core.management.base import BaseCommand, CommandError

from requests_app.health.selectors import desk_health, mailbox_checks


class Command(BaseCommand):
    help = "Say in words whether the database, the message broker, the timers and the mail are working."

    def handle(self, *args, **options):
        checks = desk_health()
        if checks[0].ok:  # the database answers
            checks += mailbox_checks()
        for check in checks:
            mark = self.style.SUCCESS("ok  ") if check.ok else self.style.ERROR("FAIL")
            self.stdout.write(f"{mark} {check.name:<9} {check.text}")
        failed = [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError(f"Not well: {', '.join(failed)}.")
        self.stdout.write(self.style.SUCCESS("All is well."))
