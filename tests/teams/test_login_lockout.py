"""Guessing passwords: five failures for a user name from one address lock that pair for a while, on the login
page and in the API's Basic authentication alike; the right password does not get through a lock."""

import base64
import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, user, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_user_name_from_that_address_even_against_the_right_one(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    aino = UserFactory(username="aino")
    for _ in range(4):
        assert log_in(client, aino, "guess").status_code == 200  # the form again, with its error

    locked = log_in(client, aino, "guess")
    again = log_in(client, aino, PASSWORD)

    assert locked.status_code == 429 and again.status_code == 429
    assert "Too many failed logins" in again.content.decode() and "15 minutes" in again.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else at that address, and the same person elsewhere, still log in.
    assert log_in(client, UserFactory(), PASSWORD).status_code == 302
    assert log_in(client, aino, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client):
    aino = UserFactory(username="aino")
    for _ in range(4):
        log_in(client, aino, "guess")
    assert log_in(client, aino, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert log_in(client, aino, "guess").status_code == 200
    assert log_in(client, aino, PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client):
    aino = UserFactory(username="aino")
    for _ in range(5):
        log_in(client, aino, "guess")
    assert log_in(client, aino, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    assert log_in(client, aino, PASSWORD).status_code == 302


def test_the_api_locks_basic_authentication_the_same_way_and_says_so_in_json(settings):
    settings.API_BASIC_AUTH = True
    aino = UserFactory(username="aino")
    api = APIClient(REMOTE_ADDR="10.0.0.1")

    def call(password):
        token = base64.b64encode(f"{aino.username}:{password}".encode()).decode()
        return api.get(reverse("api:request-list"), HTTP_AUTHORIZATION=f"Basic {token}")

    assert [call("guess").status_code for _ in range(5)] == [401] * 4 + [429]
    answer = call(PASSWORD)
    assert answer.status_code == 429 and "Too many failed logins" in answer.json()["detail"]
