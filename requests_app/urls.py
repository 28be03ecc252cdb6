"""The desk's URL namespaces, each gathered from the rooms that serve it (mounted by servicedesk/urls.py)."""

from .audit import urls as audit
from .commitments import urls as commitments
from .customers import urls as customers
from .dashboards import urls as dashboards
from .find import urls as find
from .health import urls as health
from .inbox import urls as inbox
from .intake import urls as intake
from .notifications import urls as notifications
from .queues import urls as queues
from .requests import urls as requests

# Intake first: "requests/new/" must not be read as a reference.
desk = ([*intake.urlpatterns, *queues.urlpatterns, *customers.urlpatterns, *inbox.urlpatterns, *audit.urlpatterns,
         *find.urlpatterns,
         *requests.urlpatterns],
        "requests")
commitments = ([*commitments.urlpatterns, *notifications.urlpatterns], "commitments")
dashboards = (dashboards.urlpatterns, "dashboards")
health = health.urlpatterns
