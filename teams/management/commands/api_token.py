"""Keys for the API's integrations.

    manage.py api_token create crm --user crm-integration [--write] [--team payroll --team it]
    manage.py api_token list
    manage.py api_token revoke ID
"""

from django.core.management.base import BaseCommand, CommandError

from teams import tokens
from teams.models import ApiToken, Team, User


class Command(BaseCommand):
    help = "Make, list and revoke the API keys of integrations (a key is shown once, when made)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="a new key for an integration")
        create.add_argument("name", help="the integration, e.g. crm")
        create.add_argument("--user", required=True, help="the account it acts as (its teams and rights)")
        create.add_argument("--write", action="store_true", help="may change requests (default: read only)")
        create.add_argument("--team", action="append", default=[], help="only this team's requests (repeatable)")
        commands.add_parser("list", help="every key: live and revoked")
        revoke = commands.add_parser("revoke", help="a key stops working at once")
        revoke.add_argument("id", type=int)

    def handle(self, *args, command, **options):
        getattr(self, f"_{command}")(**options)

    def _create(self, *, name, user, write, team, **_):
        try:
            account = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active account named {user!r}.") from None
        teams = list(Team.objects.filter(slug__in=team))
        unknown = sorted(set(team) - {t.slug for t in teams})
        if unknown:
            raise CommandError(f"No such team: {', '.join(unknown)}.")
        token, key = tokens.issue(name=name, user=account, can_write=write, teams=teams)
        self.stdout.write(f"Key {token.pk} for {name}, acting as {account.username}, "
                          f"{'read and write' if write else 'read only'}"
                          f"{', teams ' + ', '.join(team) if team else ''}. Keep it now; it is not shown again:")
        self.stdout.write(key)

    def _list(self, **_):
        for token in ApiToken.objects.select_related("user").prefetch_related("teams").order_by("pk"):
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            teams = ", ".join(t.slug for t in token.teams.all()) or "all its teams"
            self.stdout.write(f"{token.pk}\t{token.prefix}…\t{token.name}\t{token.user.username}\t"
                              f"{'write' if token.can_write else 'read'}\t{teams}\tused {used}\t{state}")

    def _revoke(self, *, id, **_):
        if not tokens.revoke(id):
            raise CommandError(f"No live key {id}.")
        self.stdout.write(f"Key {id} revoked.")
