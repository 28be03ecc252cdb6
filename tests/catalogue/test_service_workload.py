"""A service's page shows its open requests and recent volume, counted from the requests themselves."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from catalogue.selectors import service_workload
from requests_app.models import Status
from tests.factories import ServiceRequestFactory

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_open_requests_and_recent_volume(service):
    now = datetime(2026, 3, 18, 12, 0, tzinfo=HELSINKI)  # a Wednesday
    for days_ago, status in [(0, Status.NEW), (1, Status.OPEN), (3, Status.RESOLVED), (10, Status.WAITING),
                             (20, Status.RESOLVED), (40, Status.RESOLVED), (200, Status.NEW)]:
        ServiceRequestFactory(service=service, status=status, created_at=now - timedelta(days=days_ago))
    ServiceRequestFactory(status=Status.NEW, created_at=now)  # another service's request

    workload = service_workload(service, now=now, weeks=4)

    assert workload.open_requests == 4  # new, open, waiting and the old new one
    assert workload.last_7_days == 3
    assert workload.last_30_days == 5
    # Weeks start on Monday; the four weeks shown begin 23 Feb, so 40 and 200 days ago fall outside.
    assert workload.weekly == [
        (datetime(2026, 2, 23).date(), 1),  # 26 Feb (20 days ago)
        (datetime(2026, 3, 2).date(), 1),   # 8 Mar (10 days ago)
        (datetime(2026, 3, 9).date(), 1),   # 15 Mar (3 days ago)
        (datetime(2026, 3, 16).date(), 2),  # 17 and 18 Mar
    ]
    assert workload.busiest_week == 2
