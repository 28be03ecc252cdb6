from django.core.management.base import BaseCommand, CommandError

from requests_app.identity.services import DiscoveryFailed, provider_endpoints


class Command(BaseCommand):
    help = ("Read an OpenID Connect provider's discovery document and print the desk's settings for it "
            "(OIDC_AUTHORIZATION_ENDPOINT and the rest), to put into the environment beside OIDC_CLIENT_ID.")

    def add_arguments(self, parser):
        parser.add_argument("issuer", help="the provider's issuer address, e.g. https://login.example.fi/realms/city")

    def handle(self, *args, issuer, **options):
        try:
            endpoints = provider_endpoints(issuer)
        except DiscoveryFailed as error:
            raise CommandError(str(error)) from None
        for setting, value in endpoints.items():
            self.stdout.write(f"{setting}={value}")
