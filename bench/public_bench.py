"""The public door on the generated million-request desk (bench/generate.py).

    python bench/generate.py                                   # once: desk_bench (1,000,000 requests)
    python bench/public_bench.py [--database desk_bench] [--submissions 300] [--repeat 10]

1. Public form submissions per second (a request with a small PDF attached, the customer, its clocks, the
   acknowledgement in the outbox, the status link, the file in storage), against a bare Django view that
   answers "ok", in alternating batches in one run, both through the same test client and middleware: the
   figure is the ratio, since this machine's speed moves by 2-3x from minute to minute.
2. The status page's p95 (floor 50 ms) for web requests of every age and length of history, with the
   queue page of the request's team in the same run.
Requests and files the run adds are removed at the end.
"""

import argparse
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import machine_speed, percentile, set_up_django, verdict  # noqa: E402

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def bare_urls():
    """The desk's URLs plus one bare view, served by the same stack."""
    from django.http import HttpResponse
    from django.urls import include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bare/", lambda request: HttpResponse("ok")), path("", include("servicedesk.urls"))]
    sys.modules["bench_urls"] = module
    return "bench_urls"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="desk_bench")
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    set_up_django(args.database)
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.utils import timezone

    from catalogue.models import Service
    from requests_app.models import Customer, Message, ServiceRequest, StatusLink
    from teams.models import Membership

    storage = tempfile.TemporaryDirectory()
    settings.STORAGES = settings.STORAGES | {"attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": storage.name}}}
    settings.ROOT_URLCONF = bare_urls()
    settings.PUBLIC_LIMIT_PER_ADDRESS = settings.PUBLIC_LIMIT_PER_EMAIL = 10**9
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    service = Service.objects.filter(public_web_form=True, owning_team__isnull=False).order_by("pk").first()
    form_url = f"/public/services/{service.code}/"
    started_at = timezone.now()
    print(f"machine speed before: {machine_speed():.2f} s for the reference loop")

    def submit(n):
        response = client.post(form_url, {
            "name": f"Bench Visitor {n}", "email": f"visitor{n}@example.org", "phone": "", "language": "fi",
            "subject": "Bygglov för ett uterum", "description": "Vi vill bygga ett uterum på 12 m².",
            "website": "", "attachments": [SimpleUploadedFile("ritning.pdf", PDF, "application/pdf")]})
        assert response.status_code == 302, response.status_code

    def bare(_n):
        assert client.get("/bare/").status_code == 200

    for warm in range(5):
        submit(-warm - 1)
        bare(0)
    timings = {"submit": [], "bare": []}
    batch = 20
    for start in range(0, args.submissions, batch):
        for name, run in (("submit", submit), ("bare", bare)):
            began = time.perf_counter()
            for n in range(start, start + batch):
                run(n)
            timings[name].append((time.perf_counter() - began) / batch)
    submit_s, bare_s = statistics.median(timings["submit"]), statistics.median(timings["bare"])
    print(f"public form: {1 / submit_s:.0f} submissions/s ({submit_s * 1000:.1f} ms each, median of batches); "
          f"bare view: {1 / bare_s:.0f} requests/s; ratio {bare_s / submit_s * 100:.1f} % of the bare view")

    # The status page for web requests of every kind: new, long conversations, resolved long ago.
    web = ServiceRequest.objects.filter(channel="web", created_at__lt=started_at)
    picks = (list(web.exclude(status="resolved").order_by("-created_at")[:20])
             + list(web.filter(status="resolved").order_by("-pk")[5000:5020])
             + list(web.filter(status="resolved").order_by("pk")[:10])
             + [ServiceRequest.objects.get(pk=pk) for pk in
                Message.objects.filter(request__channel="web").values("request_id").order_by("-request_id")
                .values_list("request_id", flat=True)[:10]])
    now = timezone.now()
    links = [(req, StatusLink.issue(req, now=now)) for req in picks]
    member_of = {}
    status_ms, queue_ms = [], []
    for req, token in links:
        url = f"/public/status/{token}/"
        assert client.get(url).status_code == 200
        if req.team_id not in member_of:
            member_of[req.team_id] = Membership.objects.filter(team_id=req.team_id).select_related("user").first().user
        staff = Client()
        staff.force_login(member_of[req.team_id])
        for _ in range(args.repeat):
            began = time.perf_counter()
            client.get(url)
            status_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            staff.get("/queue/")
            queue_ms.append((time.perf_counter() - began) * 1000)
    p95 = percentile(status_ms, 0.95)
    print(f"status page: {len(status_ms)} renders of {len(links)} requests, p50 {statistics.median(status_ms):.1f} ms, "
          f"p95 {p95:.1f} ms ({verdict(p95, 50)} against the 50 ms floor); queue page in the same run "
          f"p50 {statistics.median(queue_ms):.1f} ms, p95 {percentile(queue_ms, 0.95):.1f} ms")
    print(f"machine speed after: {machine_speed():.2f} s for the reference loop")

    # Leave the desk as it was.
    StatusLink.objects.filter(created_at__gte=started_at).delete()
    ServiceRequest.objects.filter(created_at__gte=started_at, channel="web").delete()
    Customer.objects.filter(email__startswith="visitor", email__endswith="@example.org",
                            requests__isnull=True).delete()
    storage.cleanup()


if __name__ == "__main__":
    main()
