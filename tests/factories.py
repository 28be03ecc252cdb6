import factory
from django.utils import timezone

from catalogue.models import Channel, CustomerGroup, Service, ServiceArea, UnitTask
from requests_app.models import Customer, ServiceRequest, Status
from teams.models import Membership, Site, Team, Unit, User

PASSWORD = "correct-horse-battery"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    code = factory.Sequence(lambda n: f"site-{n}")
    name_fi = factory.Sequence(lambda n: f"Site {n}")
    city = "Tampere"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name_fi = factory.Sequence(lambda n: f"Unit {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    home_unit = factory.SubFactory(UnitFactory)
    home_site = factory.SubFactory(SiteFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    slug = factory.Sequence(lambda n: f"team-{n}")
    name_fi = factory.Sequence(lambda n: f"Team {n}")
    email = factory.LazyAttribute(lambda t: f"{t.slug}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area-{n}")
    name_fi = factory.Sequence(lambda n: f"Palvelualue {n}")
    name_en = factory.Sequence(lambda n: f"Service area {n}")


class CustomerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerGroup
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group-{n}")
    name_fi = factory.Sequence(lambda n: f"Asiakasryhmä {n}")
    name_en = factory.Sequence(lambda n: f"Customer group {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"service-{n}")
    area = factory.SubFactory(ServiceAreaFactory)
    name_fi = factory.Sequence(lambda n: f"Palvelu {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    description_fi = "Palvelun kuvaus."
    description_en = "What the service does."
    owning_team = factory.SubFactory(TeamFactory)
    channels = factory.LazyFunction(lambda: list(Channel.values))  # every channel; tests of the rule set their own
    promise_fi = "Vastaamme 24 tunnin kuluessa."
    promise_en = "The responsible team will reply within 24 hours."


class UnitTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitTask

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"task-{n}")
    name = factory.Sequence(lambda n: f"Task {n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    phone = factory.Sequence(lambda n: f"+35840{n:07d}")


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request as it stands after intake; use the requests room's services to move it on."""

    class Meta:
        model = ServiceRequest

    reference = factory.Sequence(lambda n: f"SD-2026-{n + 900000:06d}")
    service = factory.SubFactory(ServiceFactory)
    team = factory.LazyAttribute(lambda r: r.service.owning_team)
    customer = factory.SubFactory(CustomerFactory)
    customer_name = factory.LazyAttribute(lambda r: r.customer.name)
    reply_to = factory.LazyAttribute(lambda r: r.customer.email)
    channel = Channel.DESK
    subject = factory.Faker("sentence", nb_words=6)
    status = Status.NEW
    intake_owner = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A team default unless `service` is given (then pass team=None)."""

    class Meta:
        model = "requests_app.Commitment"

    team = factory.SubFactory(TeamFactory)
    kind = "first_reply"
    target_minutes = 24 * 60
    hours = "calendar"
    warn_percent = 75
    notify_on_warning = factory.LazyFunction(lambda: ["assignee"])
    notify_on_breach = factory.LazyFunction(lambda: ["assignee", "team_lead"])
    pauses_when_waiting = True
