from django.shortcuts import redirect, render
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("img/favicon.svg"), permanent=True)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old page, cookies off, or not sent from here): said plainly."""
    template = "public/csrf_failure.html" if request.path.startswith("/public/") else "csrf_failure.html"
    return render(request, template, status=403)
