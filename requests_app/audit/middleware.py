"""Who acts in this request, for the audit entries that signals write (roles, teams, commitments)."""

from ..models.audit import current_actor


class AuditActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_actor.set(request.user)
        try:
            return self.get_response(request)
        finally:
            current_actor.reset(token)
