import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Notification


class ReadWidget(django_filters.widgets.BooleanWidget):
    """Choices in the desk's words and catalogues (django-filter's own have no Swedish)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("All")), ("true", _("Unread")), ("false", pgettext_lazy("notifications to show", "Read")))


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Show"),
                                          widget=ReadWidget())

    class Meta:
        model = Notification
        fields = []
