"""The run form of a method, generated from its parameters' JSON Schema, and reading it back."""
from dataclasses import dataclass, field


@dataclass
class Field:
    """One input of the form: name, label, help, widget (number, integer, text, checkbox, select, quantity)."""

    name: str
    label: str
    help: str
    widget: str
    value: object = ""
    unit: str = ""
    choices: list = field(default_factory=list)
    minimum: object = None
    maximum: object = None
    optional: bool = False
    error: str = ""


def _widget(schema: dict) -> tuple[str, dict, bool]:
    """(widget, the schema that carries the value's constraints, optional)."""
    optional = False
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        optional = len(options) < len(schema["anyOf"])
        schema = {**schema, **(options[0] if options else {})}
    if "x-unit" in schema:
        return "quantity", schema.get("properties", {}).get("value", {}), optional
    if "enum" in schema:
        return "select", schema, optional
    return {"number": "number", "integer": "integer", "boolean": "checkbox"}.get(schema.get("type"), "text"), \
        schema, optional


def fields(schema: dict, values: dict | None = None, errors: dict | None = None) -> list[Field]:
    """The form's fields, filled with `values` (canonical parameters) or the defaults."""
    values, errors = values or {}, errors or {}
    found = []
    properties = schema.get("properties") or {}
    order = [name for name in schema.get("x-order") or [] if name in properties]
    for name in order + sorted(set(properties) - set(order)):
        prop = properties[name]
        widget, constraints, optional = _widget(prop)
        value = values.get(name, prop.get("default"))
        if widget == "quantity" and isinstance(value, dict):
            value = value.get("value")
        found.append(Field(
            name=name, label=prop.get("title") or name, help=prop.get("description", ""), widget=widget,
            value="" if value is None else value, unit=prop.get("x-unit", ""), choices=prop.get("enum", []),
            minimum=constraints.get("minimum", constraints.get("exclusiveMinimum")),
            maximum=constraints.get("maximum", constraints.get("exclusiveMaximum")), optional=optional,
            error=errors.get(f"params.{name}", ""),
        ))
    return found


def _number(text: str):
    try:
        number = float(text)
    except ValueError:
        return text  # left for the parameters' validation to name
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def read(schema: dict, data) -> dict:
    """Parameters from a submitted form (a QueryDict): empty optional fields are left out."""
    params = {}
    for item in fields(schema):
        if item.widget == "checkbox":
            params[item.name] = data.get(item.name) == "on"
            continue
        text = (data.get(item.name) or "").strip()
        if not text:
            if item.optional:
                params[item.name] = None
            continue
        if item.widget == "quantity":
            params[item.name] = {"value": _number(text), "unit": (data.get(f"{item.name}__unit") or item.unit).strip()}
        elif item.widget in ("number", "integer"):
            params[item.name] = _number(text)
        else:
            params[item.name] = text
    return params
