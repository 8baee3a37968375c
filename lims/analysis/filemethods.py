"""Parameters of notebook and Snakefile methods: a JSON Schema (given, or read from a notebook's
`parameters` cell with papermill) and the pydantic model built from it."""
import ast
from typing import Literal

from pydantic import Field, create_model

from lims.analysis.params import Params, Quantity

_TYPES = {"int": ("integer", int), "float": ("number", float), "str": ("string", str), "bool": ("boolean", bool)}


def schema_for_file(path, kind: str) -> dict:
    """The parameters' JSON Schema of a notebook (from its `parameters` cell); a Snakefile has none unless given."""
    if kind != "notebook":
        return {"type": "object", "properties": {}, "additionalProperties": False}
    import papermill

    properties = {}
    for name, found in papermill.inspect_notebook(str(path)).items():
        if name in ("inputs", "input_names", "output_dir"):
            continue  # given by the run itself
        type_name = (found.get("inferred_type_name") or "").split("[")[0]
        try:
            default = ast.literal_eval(found.get("default") or "None")
        except (ValueError, SyntaxError):
            default = None
        if type_name not in _TYPES and default is not None:
            type_name = type(default).__name__
        json_type = _TYPES.get(type_name, ("string", str))[0]
        prop = {"type": json_type, "title": name.replace("_", " ").capitalize()}
        if default is not None:
            prop["default"] = default
        if found.get("help"):
            prop["description"] = found["help"]
        properties[name] = prop
    return {"type": "object", "properties": properties, "additionalProperties": False, "x-order": list(properties)}


def params_model_from_schema(schema: dict) -> type[Params]:
    """A pydantic model accepting what `schema` describes (number, integer, string, boolean, enum, quantity)."""
    fields = {}
    for name, prop in (schema.get("properties") or {}).items():
        constraints = {key: prop[source] for key, source in (("ge", "minimum"), ("le", "maximum"),
                                                             ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum"))
                       if source in prop}
        if "x-unit" in prop:
            kind = Quantity(prop["x-unit"], **constraints)
            constraints = {}
        elif "enum" in prop:
            kind = Literal[tuple(prop["enum"])]
        else:
            kind = {"integer": int, "number": float, "boolean": bool}.get(prop.get("type"), str)
        default = prop["default"] if "default" in prop else ...
        fields[name] = (kind, Field(default, description=prop.get("description", ""), **constraints))
    return create_model("FileMethodParams", __base__=Params, **fields)
