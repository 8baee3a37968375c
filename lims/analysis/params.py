"""Method parameters: pydantic models, quantities with units, and their JSON Schema.

A parameter with a unit is declared `Quantity("nm", ge=0)`: the API takes `{"value": 0.2, "unit":
"nm"}` in any unit of the same dimension (or a bare number in the declared unit), and the method
gets a float in the declared unit. Unit text is read by `records.units.parse_unit` (a small grammar,
so hostile units are refused at once) and converted with pint. Pure Python: the method's child
process uses it too.
"""
import json
import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, WithJsonSchema

from records.units import UnitError, parse_unit, registry

MAX_PARAMS_BYTES = 64 * 1024  # parameters of one run, as JSON


class ParamsError(ValueError):
    """Parameters that do not fit the method; `errors` maps each field ("params.name") to a message."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class Params(BaseModel):
    """Base of every method's parameters: unknown names are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


def _converter(unit: str):
    target = parse_unit(unit)

    def convert(value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError("a number or {\"value\": number, \"unit\": text} is needed")
        if isinstance(value, (int, float)):
            return float(value)
        if not isinstance(value, dict) or set(value) - {"value", "unit"} or "value" not in value:
            raise ValueError(f'give {{"value": number, "unit": "{unit}"}}')
        number = value["value"]
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
            raise ValueError("value must be a finite number")
        try:
            given = parse_unit(str(value.get("unit") or unit))
            converted = registry().Quantity(float(number), given).to(target).magnitude
        except UnitError as exc:
            raise ValueError(str(exc)) from None
        except Exception:  # noqa: BLE001 - pint's DimensionalityError and kin
            raise ValueError(f"{value.get('unit')!r} cannot be converted to {unit}") from None
        if not math.isfinite(converted):
            raise ValueError("value out of range")
        return float(converted)

    return convert


def Quantity(unit: str, **constraints):  # noqa: N802 - reads as a type in a model
    """A float parameter in `unit`, accepting any compatible unit; constraints (ge, le...) apply in `unit`."""
    value = {"type": "number"}
    for name, key in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum")):
        if name in constraints:
            value[key] = constraints[name]
    schema = {
        "type": "object",
        "properties": {"value": value, "unit": {"type": "string", "default": unit}},
        "required": ["value"],
        "x-unit": unit,
    }
    return Annotated[float, BeforeValidator(_converter(unit)), Field(**constraints), WithJsonSchema(schema)]


def units_of(model: type[BaseModel]) -> dict:
    """Field name -> declared unit, for the fields declared with `Quantity`."""
    units = {}
    for name, field in model.model_fields.items():
        for item in field.metadata:
            if isinstance(item, WithJsonSchema) and item.json_schema and "x-unit" in item.json_schema:
                units[name] = item.json_schema["x-unit"]
    return units


def json_schema(model: type[BaseModel]) -> dict:
    """The model's JSON Schema, with `x-order` naming the parameters in their declared order (a JSON column
    may not keep the order of keys)."""
    schema = model.model_json_schema()
    schema["x-order"] = list(schema.get("properties") or {})
    return schema


def validate(model: type[BaseModel], raw) -> BaseModel:
    """A parameters instance from what a person sent, else ParamsError naming each bad field."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParamsError({"params": "must be an object"})
    if len(json.dumps(raw, default=str)) > MAX_PARAMS_BYTES:
        raise ParamsError({"params": f"larger than {MAX_PARAMS_BYTES} bytes"})
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = {}
        for error in exc.errors():
            where = [str(part) for part in error["loc"] if not str(part).startswith("function-")]
            name = "params." + ".".join(where[:1] or ["?"])
            errors.setdefault(name, error["msg"].removeprefix("Value error, "))
        raise ParamsError(errors) from None


def canonical(params: BaseModel) -> dict:
    """Parameters as stored and shown: quantities as {"value", "unit"} in their declared unit."""
    units = units_of(type(params))
    values = params.model_dump(mode="json")
    return {name: {"value": value, "unit": units[name]} if name in units else value
            for name, value in values.items()}
