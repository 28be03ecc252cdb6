"""The catalogue as staff and maintainers use it in the browser."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from catalogue.models import CatalogueChange, CustomerGroup, Service, ServiceArea, UnitTask
from requests_app.models import Status
from tests.factories import (
    CustomerGroupFactory,
    ServiceFactory,
    ServiceRequestFactory,
    TeamFactory,
    UnitFactory,
    UnitTaskFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize("name, args", [
    ("catalogue:index", []), ("catalogue:coverage", []), ("catalogue:picker", []), ("catalogue:tasks", []),
    ("catalogue:service", ["palkanmaksu"]),
])
def test_pages_need_a_login(client, everyday_catalogue, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_browse_services_by_area(client, staff, everyday_catalogue):
    client.force_login(staff)
    response = client.get(reverse("catalogue:index"), {"area": "city"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rakennusluvat" in html or "Building permits" in html
    assert "Salary payment" not in html
    assert "Kaupunkiympäristö" in html or "Urban environment" in html


def test_browse_by_customer_group(client, staff, everyday_catalogue):
    companies = CustomerGroupFactory(code="companies", name_en="Companies")
    everyday_catalogue["rakennusluvat"].customer_groups.add(companies)
    client.force_login(staff)
    html = client.get(reverse("catalogue:index"), {"customer_group": "companies"}).content.decode()
    assert "Building permits" in html and "Parking permits" not in html


def test_search_on_the_index_lists_best_match_first_and_answers_htmx_with_the_results_only(
    client, staff, everyday_catalogue
):
    client.force_login(staff)
    response = client.get(reverse("catalogue:index"), {"q": "matkalaskun"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.index("Travel expense claims") < html.index("</tbody>")
    assert "HX-Request" in response["Vary"]
    rows = html.split("<tr>")[2:]
    assert "Travel expense claims" in rows[0]


def test_retired_services_are_hidden_unless_asked_for(client, staff, everyday_catalogue):
    client.force_login(staff)
    assert "Salary (old system)" not in client.get(reverse("catalogue:index")).content.decode()
    html = client.get(reverse("catalogue:index"), {"status": "retired"}).content.decode()
    assert "Salary (old system)" in html and "Retired" in html


def test_index_stays_within_its_query_budget(client, staff, everyday_catalogue, django_assert_max_num_queries):
    ServiceFactory.create_batch(30, area=everyday_catalogue["palkanmaksu"].area)
    client.force_login(staff)
    # Session, user, permissions, count, the filter's three choice lists, the page, the two sidebars; and
    # the heartbeats of the background runs, read at most every ten seconds for the staff banner.
    with django_assert_max_num_queries(13):
        client.get(reverse("catalogue:index"))


def test_service_page_shows_owner_contributors_promise_channels_requests_and_history(
    client, staff, maintainer, everyday_catalogue
):
    from catalogue import services

    salary = everyday_catalogue["palkanmaksu"]
    salary.contributing_units.add(UnitFactory(name="Payroll centre"))
    salary.partners = "Payroll Partner Oy"
    salary.save()
    ServiceRequestFactory(service=salary, status=Status.NEW)
    ServiceRequestFactory(service=salary, status=Status.OPEN)
    ServiceRequestFactory(service=salary, status=Status.RESOLVED)
    services.update_service(by=maintainer, service_id=salary.pk, promise_en="We reply within one working day.")
    client.force_login(staff)
    html = client.get(reverse("catalogue:service", args=["palkanmaksu"])).content.decode()
    assert salary.owning_team.name in html
    assert "Payroll centre" in html and "Payroll Partner Oy" in html
    assert "We reply within one working day." in html
    assert "Phone" in html and "Service desk" in html
    assert '<dt>Open now</dt><dd>2</dd>' in html
    assert "<dt>Logged in the last 7 days</dt><dd>3</dd>" in html
    history = html[html.index("Change history"):]
    assert "Changed: service promise (English)." in history and str(maintainer) in history
    assert "Edit service" not in html  # staff may look, not edit


def test_unknown_service_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("catalogue:service", args=["no-such"])).status_code == 404


def test_coverage_page_shows_unmapped_tasks_and_gaps(client, staff, db):
    finance = UnitFactory(code="finance", name="Finance")
    payroll = UnitFactory(code="payroll", name="Payroll", parent=finance)
    UnitTaskFactory(unit=payroll, name="Check overtime claims")
    ServiceFactory(name_en="Nobody's service", owning_team=None)
    client.force_login(staff)
    html = client.get(reverse("catalogue:coverage"), {"unit": "finance"}).content.decode()
    assert "Check overtime claims" in html
    assert "Nobody&#x27;s service" in html
    assert "Payroll" in html


# --- the intake form's picker ---------------------------------------------------------------------------

def test_picker_offers_the_best_matches_as_radio_buttons_named_service(client, staff, everyday_catalogue):
    client.force_login(staff)
    response = client.get(reverse("catalogue:picker"), {"q": "palkkani"}, **HTMX)
    html = response.content.decode()
    salary = everyday_catalogue["palkanmaksu"]
    assert response.status_code == 200
    assert "<fieldset" in html and "<legend" in html
    first_input = html[html.index("<input"):]
    assert f'type="radio" name="service" value="{salary.pk}"' in first_input[:200]
    assert "Money matters" in html  # the area
    assert "The responsible team will reply within 24 hours." in html  # the promise
    assert "HX-Request" in response["Vary"]


def test_picker_says_so_when_nothing_matches_and_stays_quiet_when_empty(client, staff, everyday_catalogue):
    client.force_login(staff)
    assert "No service matches" in client.get(reverse("catalogue:picker"), {"q": "xyzzy"}).content.decode()
    assert client.get(reverse("catalogue:picker"), {"q": ""}).content.decode().strip() == ""


def test_picker_shows_the_name_in_the_language_the_words_matched(client, staff, everyday_catalogue):
    client.force_login(staff)
    html = client.get(reverse("catalogue:picker"), {"q": "bygglov"}).content.decode()
    assert '<strong lang="sv">Bygglov</strong>' in html
    assert "Building permits · " in html  # the page's own language beside it
    html = client.get(reverse("catalogue:picker"), {"q": "rakennusluvan"}).content.decode()
    assert '<strong lang="fi">Rakennusluvat</strong>' in html
    html = client.get(reverse("catalogue:picker"), {"q": "parking"}).content.decode()
    assert "<strong>Parking permits</strong>" in html and "lang=" not in html


def test_when_nothing_fits_the_picker_offers_the_areas_to_browse_and_lists_an_areas_services(
        client, staff, everyday_catalogue):
    client.force_login(staff)
    html = client.get(reverse("catalogue:picker"), {"q": "xyzzy"}, **HTMX).content.decode()
    assert "browse by area" in html
    assert 'hx-get="/catalogue/picker/?area=city"' in html and "Urban environment</a> <span class=\"muted\">(3)" in html
    # An area's offered services, not its retired ones, to pick from.
    html = client.get(reverse("catalogue:picker"), {"area": "money"}, **HTMX).content.decode()
    assert "3 services in Money matters" in html
    assert html.count('type="radio" name="service"') == 3 and "Salary (old system)" not in html
    # An unknown or absurd area is nothing to browse, not an error.
    for area in ("no-such-area", "x" * 5000):
        response = client.get(reverse("catalogue:picker"), {"area": area})
        assert response.status_code == 200 and 'name="service"' not in response.content.decode()


def test_without_script_the_new_request_form_searches_and_browses_services_itself(client, staff, everyday_catalogue):
    client.force_login(staff)
    html = client.get(reverse("requests:new"), {"q": "matkalaskun"}).content.decode()
    assert f'name="service" value="{everyday_catalogue["matkalaskut"].pk}"' in html
    html = client.get(reverse("requests:new"), {"q": "xyzzy"}).content.decode()
    assert 'href="?area=city"' in html
    html = client.get(reverse("requests:new"), {"area": "city"}).content.decode()
    assert f'name="service" value="{everyday_catalogue["pysakointi"].pk}"' in html


def test_picker_never_offers_retired_services(client, staff, everyday_catalogue):
    client.force_login(staff)
    html = client.get(reverse("catalogue:picker"), {"q": "old system"}).content.decode()
    assert "Salary (old system)" not in html


# --- maintaining in the product's own pages ------------------------------------------------------------

def service_form(area, **overrides):
    data = {"code": "passport-photos", "area": area.pk, "name_fi": "Passikuvat", "name_en": "Passport photos",
            "channels": ["desk"], "promise_fi": "Palvelemme heti."}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name, args", [
    ("catalogue:service_new", []), ("catalogue:area_new", []), ("catalogue:task_new", []),
    ("catalogue:service_edit", ["palkanmaksu"]), ("catalogue:group_new", []),
])
def test_staff_who_are_not_maintainers_may_not_open_edit_pages(client, staff, everyday_catalogue, name, args):
    client.force_login(staff)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_staff_post_to_edit_pages_is_refused_and_changes_nothing(client, staff, everyday_catalogue):
    client.force_login(staff)
    area = ServiceArea.objects.get(code="money")
    assert client.post(reverse("catalogue:service_new"), service_form(area)).status_code == 403
    assert client.post(reverse("catalogue:service_retire", args=["palkanmaksu"])).status_code == 403
    assert not Service.objects.filter(code="passport-photos").exists()
    assert Service.objects.get(code="palkanmaksu").retired_at is None
    assert not CatalogueChange.objects.exists()


def test_maintainer_adds_a_service_and_lands_on_its_page(client, maintainer, everyday_catalogue):
    client.force_login(maintainer)
    area = ServiceArea.objects.get(code="money")
    team = TeamFactory(name="Photo team")
    response = client.post(reverse("catalogue:service_new"), service_form(area, owning_team=team.pk), follow=True)
    assert response.status_code == 200
    assert "Passport photos" in response.content.decode()
    assert Service.objects.get(code="passport-photos").owning_team == team
    assert CatalogueChange.objects.get(object_code="passport-photos").changed_by == maintainer


@pytest.mark.parametrize("overrides, message", [
    ({"name_fi": ""}, "This field is required."),
    ({"code": "has spaces"}, "Enter a valid"),
    ({"code": "palkanmaksu"}, "already exists"),
    ({"channels": ["pigeon"]}, "Select a valid choice"),
])
def test_bad_service_form_gets_a_clear_message_400_and_nothing_written(
    client, maintainer, everyday_catalogue, overrides, message
):
    client.force_login(maintainer)
    area = ServiceArea.objects.get(code="money")
    before = Service.objects.count()
    response = client.post(reverse("catalogue:service_new"), service_form(area, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Service.objects.count() == before
    assert not CatalogueChange.objects.exists()


def test_maintainer_edits_and_retires_a_service_and_history_shows_it(client, maintainer, everyday_catalogue):
    client.force_login(maintainer)
    salary = everyday_catalogue["palkanmaksu"]
    data = service_form(salary.area, code="palkanmaksu", name_fi="Palkanmaksu", name_en="Pay day")
    assert client.post(reverse("catalogue:service_edit", args=["palkanmaksu"]), data).status_code == 302
    client.post(reverse("catalogue:service_retire", args=["palkanmaksu"]))
    html = client.get(reverse("catalogue:service", args=["palkanmaksu"])).content.decode()
    assert "Pay day" in html
    assert "Service retired; no longer offered for new requests." in html
    assert "Offer again" in html
    assert not Service.objects.offered().filter(code="palkanmaksu").exists()


def test_maintainer_adds_a_service_area(client, maintainer):
    client.force_login(maintainer)
    response = client.post(reverse("catalogue:area_new"), {"code": "health", "name_fi": "Terveys", "position": 3})
    assert response.status_code == 302
    assert ServiceArea.objects.get(code="health").name_fi == "Terveys"


def test_maintainer_adds_and_renames_a_customer_group_and_the_change_is_recorded(client, maintainer):
    client.force_login(maintainer)
    response = client.post(reverse("catalogue:group_new"), {"code": "students", "name_fi": "Opiskelijat", "position": 5})
    assert response.status_code == 302
    group = CustomerGroup.objects.get(code="students")
    response = client.post(reverse("catalogue:group_edit", args=["students"]),
                           {"code": "students", "name_fi": "Opiskelijat", "name_sv": "Studerande", "position": 5})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name_sv == "Studerande"
    assert CatalogueChange.objects.filter(object_code="students").count() == 2


def test_a_customer_group_without_a_finnish_name_is_refused(client, maintainer):
    client.force_login(maintainer)
    response = client.post(reverse("catalogue:group_new"), {"code": "students", "name_fi": "", "position": 5})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not CustomerGroup.objects.filter(code="students").exists()


def test_staff_cannot_edit_customer_groups(client, staff):
    group = CustomerGroup.objects.create(code="students", name_fi="Opiskelijat")
    client.force_login(staff)
    response = client.post(reverse("catalogue:group_edit", args=["students"]), {"code": "x", "name_fi": "X"})
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.code == "students" and group.name_fi == "Opiskelijat"


def test_maintainer_adds_a_task_and_maps_it_to_services(client, maintainer, everyday_catalogue):
    client.force_login(maintainer)
    unit = UnitFactory(code="hr", name="HR")
    salary, travel = everyday_catalogue["palkanmaksu"], everyday_catalogue["matkalaskut"]
    response = client.post(reverse("catalogue:task_new"), {
        "unit": unit.pk, "code": "expenses", "name": "Check expense claims", "services": [salary.pk, travel.pk]})
    assert response.status_code == 302
    task = UnitTask.objects.get(code="expenses")
    assert set(task.services.values_list("code", flat=True)) == {"palkanmaksu", "matkalaskut"}
    html = client.get(reverse("catalogue:tasks"), {"unit": "hr"}, **HTMX).content.decode()
    assert "Check expense claims" in html and "Travel expense claims" in html
    # Unmapping everything leaves the task on the working list.
    client.post(reverse("catalogue:task_edit", args=["expenses"]),
                {"unit": unit.pk, "code": "expenses", "name": "Check expense claims"})
    html = client.get(reverse("catalogue:tasks"), {"unit": "hr", "mapped": "no"}).content.decode()
    assert "Check expense claims" in html and "Not mapped" in html


def test_task_picker_offers_checkboxes_for_mapping(client, maintainer, everyday_catalogue):
    client.force_login(maintainer)
    html = client.get(reverse("catalogue:picker"), {"q": "parking", "multiple": "1"}).content.decode()
    assert 'type="checkbox" name="services"' in html


def test_the_api_says_in_which_language_a_search_matched_a_name(staff, everyday_catalogue):
    client = APIClient()
    client.force_authenticate(staff)
    services = reverse("api:service-list")
    [bygglov] = [row for row in client.get(services, {"q": "bygglov"}, HTTP_ACCEPT_LANGUAGE="fi").json()
                 if row["code"] == "rakennusluvat"]
    assert bygglov["matched_language"] == "sv" and bygglov["name"] == "Rakennusluvat"
    [finnish] = [row for row in client.get(services, {"q": "rakennusluvan"}, HTTP_ACCEPT_LANGUAGE="fi").json()
                 if row["code"] == "rakennusluvat"]
    assert finnish["matched_language"] is None
    assert {row["matched_language"] for row in client.get(services).json()} == {None}
