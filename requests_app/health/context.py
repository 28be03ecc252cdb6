from .selectors import last_runs, stale_runs


def background_runs(request):
    """Every staff page says at once when the timers or the mail have stopped (`{{ stalled_runs }}`)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"stalled_runs": stale_runs(beats=last_runs(cached=True))}
