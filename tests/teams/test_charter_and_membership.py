"""A team runs itself: its leads edit the charter and decide who is in it; every change is recorded."""

import pytest
from django.urls import reverse

from requests_app.intake import services as intake
from requests_app.requests import services as desk
from servicedesk.errors import DomainError
from teams.models import Membership, Team, TeamChange
from tests.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def charter_post(**overrides):
    data = {
        "name_fi": "Palkkatiimi", "name_en": "Payroll", "description_fi": "We pay salaries.", "email": "payroll@example.org",
        "charter_roles_fi": "Lead keeps the queue.", "charter_rules_fi": "Oldest first.",
        "charter_decisions_fi": "Anyone may resolve.", "escalation_contact": "",
    }
    return data | overrides


def test_a_lead_edits_the_charter_and_the_change_is_recorded(client, team, lead, member):
    login(client, lead)
    response = client.post(reverse("teams:charter", args=[team.slug]),
                           charter_post(escalation_contact=str(member.pk)))

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.charter_rules == "Oldest first." and team.escalation_contact == member
    change = TeamChange.objects.get(team=team)
    assert change.kind == "charter" and change.actor == lead and "rules" in change.text
    page = client.get(reverse("teams:detail", args=[team.slug])).content.decode()
    assert "Oldest first." in page and "Charter changed" in page
    assert f"<title>{team.name} · " in page and page.count('id="changes-heading"') == 1


def test_a_teams_name_and_charter_read_in_the_readers_language_falling_back_to_finnish(client, team, lead):
    login(client, lead)
    client.post(reverse("teams:charter", args=[team.slug]), charter_post(
        name_sv="Löneteamet", charter_rules_sv="Äldsta först.", charter_rules_en="Oldest first, always."))

    swedish = client.get(reverse("teams:detail", args=[team.slug]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "<h1>Löneteamet" in swedish and "Äldsta först." in swedish
    assert "Lead keeps the queue." in swedish  # no Swedish roles written: the Finnish ones
    english = client.get(reverse("teams:detail", args=[team.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Payroll" in english and "Oldest first, always." in english
    finnish = client.get(reverse("teams:detail", args=[team.slug]), HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "<h1>Palkkatiimi" in finnish


def test_a_team_needs_a_finnish_name_and_is_left_unchanged_without_one(client, team, lead):
    login(client, lead)
    before = Team.objects.values().get(pk=team.pk)
    response = client.post(reverse("teams:charter", args=[team.slug]), charter_post(name_fi=""))
    assert response.status_code == 400
    from teams.services import update_charter

    with pytest.raises(DomainError, match="Finnish name"):
        update_charter(team_id=team.pk, by=lead, changes={"name_fi": "   "}, escalation_contact_id=None)
    assert Team.objects.values().get(pk=team.pk) == before


def test_saving_an_unchanged_charter_records_nothing(client, team, lead):
    login(client, lead)
    client.post(reverse("teams:charter", args=[team.slug]), charter_post())
    client.post(reverse("teams:charter", args=[team.slug]), charter_post())
    assert TeamChange.objects.filter(team=team).count() == 1


@pytest.mark.parametrize("who", ["member", "other_member", "outsider"])
def test_only_a_lead_may_open_or_post_the_charter_form(client, team, lead, who, request):
    person = request.getfixturevalue(who)
    login(client, person)
    before = Team.objects.values().get(pk=team.pk)

    assert client.get(reverse("teams:charter", args=[team.slug])).status_code == 404
    assert client.post(reverse("teams:charter", args=[team.slug]), charter_post()).status_code == 404
    assert Team.objects.values().get(pk=team.pk) == before


def test_an_escalation_contact_from_outside_the_team_is_refused(client, team, lead, outsider):
    login(client, lead)
    response = client.post(reverse("teams:charter", args=[team.slug]),
                           charter_post(escalation_contact=str(outsider.pk)))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    team.refresh_from_db()
    assert team.escalation_contact is None and team.charter_rules == ""


def test_the_service_refuses_a_contact_who_is_not_a_member(team, lead, outsider):
    with pytest.raises(DomainError, match="must be a member"):
        from teams.services import update_charter

        update_charter(team_id=team.pk, by=lead, changes={}, escalation_contact_id=outsider.pk)


def test_a_lead_adds_a_member_with_htmx_and_sees_the_list_again(client, team, lead, outsider):
    login(client, lead)
    response = client.post(reverse("teams:add_member", args=[team.slug]),
                           {"user": outsider.pk, "role": "member", "external_partner": "Partner Oy"},
                           HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert str(outsider) in body and "Partner Oy" in body and "<html" not in body
    membership = Membership.objects.get(team=team, user=outsider)
    assert membership.external_partner == "Partner Oy"
    assert TeamChange.objects.get(team=team, kind="joined").person == outsider


def test_adding_someone_already_in_the_team_is_refused(client, team, lead, member):
    login(client, lead)
    response = client.post(reverse("teams:add_member", args=[team.slug]), {"user": member.pk, "role": "member"})
    assert response.status_code == 400
    assert "not in the team yet" in response.content.decode()
    assert Membership.objects.filter(team=team, user=member).count() == 1


def test_a_member_cannot_add_people(client, team, member, outsider):
    login(client, member)
    response = client.post(reverse("teams:add_member", args=[team.slug]), {"user": outsider.pk, "role": "lead"})
    assert response.status_code == 403
    assert "Only a lead" in response.content.decode()
    assert not Membership.objects.filter(team=team, user=outsider).exists()


def test_a_lead_promotes_a_member_and_the_last_lead_cannot_step_down(client, team, lead, member):
    login(client, lead)
    refused = client.post(reverse("teams:change_role", args=[team.slug, lead.pk]), {"role": "member"})
    assert refused.status_code == 409
    assert "at least one lead" in refused.content.decode()

    assert client.post(reverse("teams:change_role", args=[team.slug, member.pk]), {"role": "lead"}).status_code == 302
    assert client.post(reverse("teams:change_role", args=[team.slug, lead.pk]), {"role": "member"}).status_code == 302
    roles = dict(Membership.objects.filter(team=team).values_list("user_id", "role"))
    assert roles == {lead.pk: "member", member.pk: "lead"}


def test_a_nonsense_role_is_refused(client, team, lead, member):
    login(client, lead)
    response = client.post(reverse("teams:change_role", args=[team.slug, member.pk]), {"role": "boss"})
    assert response.status_code == 400
    assert Membership.objects.get(team=team, user=member).role == "member"


def test_a_member_leaves_but_not_while_holding_open_requests(client, team, lead, member, service):
    req = intake.log_request(by=lead, service_id=service.pk, channel="desk", subject="Pay missing",
                           new_customer={"name": "Aino Virtanen"})
    desk.claim(request_id=req.pk, by=member)
    login(client, member)

    refused = client.post(reverse("teams:remove_member", args=[team.slug, member.pk]))
    assert refused.status_code == 409
    assert "still holds 1 open requests" in refused.content.decode()
    assert Membership.objects.filter(team=team, user=member).exists()

    desk.unclaim(request_id=req.pk, by=member)
    assert client.post(reverse("teams:remove_member", args=[team.slug, member.pk])).status_code == 302
    assert not Membership.objects.filter(team=team, user=member).exists()
    assert TeamChange.objects.get(team=team, kind="left").actor == member


def test_a_member_cannot_remove_someone_else(client, team, lead, member):
    login(client, member)
    assert client.post(reverse("teams:remove_member", args=[team.slug, lead.pk])).status_code == 403
    assert Membership.objects.filter(team=team, user=lead).exists()


def test_removing_the_escalation_contact_clears_it(team, lead, member):
    from teams.services import remove_member, update_charter

    update_charter(team_id=team.pk, by=lead, changes={}, escalation_contact_id=member.pk)
    remove_member(team_id=team.pk, by=lead, user_id=member.pk)
    team.refresh_from_db()
    assert team.escalation_contact is None


def test_the_unit_page_shows_sub_units_under_their_parent(client, team, outsider):
    parent = UnitFactory(name="Digital Services")
    child = UnitFactory(name="User Support", parent=parent)
    UnitFactory(name="Administration")
    team.units.add(child)
    login(client, outsider)

    page = client.get(reverse("teams:units")).content.decode()
    order = [page.index(name) for name in ("Administration", "Digital Services", "User Support")]
    assert order == sorted(order)
    assert 'class="depth-1"' in page and team.name in page


def test_unit_and_site_names_read_in_the_readers_language_falling_back_to_finnish(client, team, outsider):
    unit = UnitFactory(name_fi="Käyttäjätuki", name_sv="Användarstöd", name_en="")
    unit.sites.add(SiteFactory(name_fi="Turun toimipiste", name_sv="Kontoret i Åbo"))
    login(client, outsider)

    swedish = client.get(reverse("teams:units"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Användarstöd" in swedish and "Kontoret i Åbo" in swedish and "Käyttäjätuki" not in swedish
    english = client.get(reverse("teams:units"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Käyttäjätuki" in english  # no English name: the Finnish one


def test_anonymous_people_are_sent_to_log_in(client, team):
    for url in (reverse("teams:units"), reverse("teams:charter", args=[team.slug])):
        assert client.get(url).status_code == 302
    assert client.post(reverse("teams:add_member", args=[team.slug]), {}).status_code == 302
    assert not TeamChange.objects.exists()
