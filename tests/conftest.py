import pytest
from django.db import connection

from requests_app.models import access
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory


def pytest_configure(config):
    from django.conf import settings

    # Production serves collected, hashed files; a test run has not run collectstatic and needs no hashes.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture(autouse=True)
def english():
    """Each test starts in the default language: a request in Finnish leaves its language active in the
    thread (the locale middleware activates it and nothing deactivates it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (the queue keeps its option lists there for a minute)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def attachment_files(settings, tmp_path):
    """Each test keeps its attachments in a folder of its own."""
    settings.STORAGES = settings.STORAGES | {"attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}}}
    return tmp_path / "files"


@pytest.fixture
def team(db):
    return TeamFactory(name="Payroll team")


@pytest.fixture
def member(team):
    """A member of the team that owns `service`."""
    return MembershipFactory(team=team).user


@pytest.fixture
def lead(team):
    return MembershipFactory(team=team, role="lead").user


@pytest.fixture
def other_member(db):
    """A member of some other team."""
    return MembershipFactory(team=TeamFactory(name="IT accounts team")).user


@pytest.fixture
def outsider(db):
    """Staff who belong to no team."""
    return UserFactory()


@pytest.fixture
def front_desk(db):
    """Staff in no team who serve any customer (the front-desk role)."""
    user = UserFactory(username="reception")
    access.role_group(access.FRONT_DESK).user_set.add(user)
    return user


@pytest.fixture
def data_protection(db):
    """The data-protection role: sees all personal data, merges and separates customer records."""
    user = UserFactory(username="privacy")
    access.role_group(access.DATA_PROTECTION).user_set.add(user)
    return user


@pytest.fixture
def service(team):
    return ServiceFactory(owning_team=team, name_en="Salary payment", name_fi="Palkanmaksu")


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")
