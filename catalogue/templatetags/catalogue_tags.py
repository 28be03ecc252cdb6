from django import template

from catalogue.models import CustomerGroup, Service, ServiceArea, UnitTask

register = template.Library()

MODELS = {"area": ServiceArea, "customer_group": CustomerGroup, "service": Service, "unit_task": UnitTask}


@register.filter
def field_label(name: str, object_type: str = "service") -> str:
    """A changed field's name as people read it: "promise_en" -> "service promise (English)"."""
    model = MODELS.get(object_type, Service)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


@register.filter
def show_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
