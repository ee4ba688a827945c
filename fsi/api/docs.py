"""GET /api/v1/openapi.json (the document spectree generates) and GET /api/v1/docs (our readable
page of it, rendered on the server from the same document: no script, no CDN)."""
from dataclasses import dataclass

from flask import jsonify, render_template

from fsi.api.blueprint import bp
from fsi.api.spec import api

METHODS = ("get", "post", "put", "patch", "delete")


def document():
    return api.spec


def ref_name(ref):
    return ref.rsplit("/", 1)[-1]


def type_of(schema):
    """A schema in a few words: ``integer``, ``string (date-time)``, ``array of CallSummary``,
    ``string | null``; referenced schemas by name (the page links them)."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_of(option) for option in schema[key])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {type_of(schema.get('items'))}"
    if "enum" in schema:
        return f"{kind}: " + ", ".join(str(value) for value in schema["enum"])
    if "const" in schema:
        return f"{kind}: {schema['const']}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tags: list
    public: bool
    parameters: list
    body: str | None
    responses: list


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str


def body_schema(content):
    schema = (content or {}).get("application/json", {}).get("schema")
    return type_of(schema) if schema else None


def operations(spec):
    found = []
    for path, methods in spec.get("paths", {}).items():
        for method in METHODS:
            operation = methods.get(method)
            if operation is None:
                continue
            parameters = [Field(p["name"] + f" ({p['in']})", type_of(p.get("schema")), p.get("required", False),
                                p.get("description", "")) for p in operation.get("parameters", [])]
            responses = [(status, answer.get("description", ""), body_schema(answer.get("content")))
                         for status, answer in sorted(operation.get("responses", {}).items())]
            found.append(Operation(
                method=method.upper(), path=path, summary=operation.get("summary", ""),
                description=operation.get("description", ""), tags=operation.get("tags", []),
                public=operation.get("security") == [], parameters=parameters,
                body=body_schema(operation.get("requestBody", {}).get("content")), responses=responses))
    return found


def schemas(spec):
    """[(name, description, [Field])] of the document's components, by name."""
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [Field(field, type_of(sub), field in required, sub.get("description", ""))
                  for field, sub in schema.get("properties", {}).items()]
        found.append((name, schema.get("description", ""), fields))
    return found


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


@bp.get("/docs")
def docs():
    spec = document()
    return render_template("api/docs.html", info=spec["info"], operations=operations(spec), schemas=schemas(spec),
                           version=spec["openapi"])
