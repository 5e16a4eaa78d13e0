"""What the Kubernetes API server does with a custom resource, offline: structural defaults, the
CRD's openAPIV3Schema (jsonschema, unknown fields rejected as `kubectl --validate=strict` does)
and its `x-kubernetes-validations` CEL rules (cel-python), including transition rules on oldSelf.
Errors are worded as the API server words them, e.g.
`spec.sampling: Invalid value: "object": reservoir sampling takes size and seed`."""

import copy
import os
import re

import celpy
import jsonschema
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CRD_FILE = os.path.join(ROOT, "charts", "profiler-operator", "crds", "profiler.dev.yaml")


def load_crds(path=CRD_FILE):
    """{(apiVersion, kind): (crd, openAPIV3Schema)} for every served version."""
    crds = {}
    with open(path) as f:
        for crd in yaml.safe_load_all(f):
            if not crd:
                continue
            group = crd["spec"]["group"]
            for version in crd["spec"]["versions"]:
                key = (f"{group}/{version['name']}", crd["spec"]["names"]["kind"])
                crds[key] = (crd, version["schema"]["openAPIV3Schema"])
    return crds


def _json_schema(node):
    """An OpenAPI v3 (Kubernetes structural) schema as JSON Schema: nullable becomes a null type,
    objects with properties reject unknown fields, Kubernetes extensions are dropped."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key in ("nullable", "format", "description", "default"):
            continue
        if key in ("properties",):
            out[key] = {k: _json_schema(v) for k, v in value.items()}
        else:
            out[key] = _json_schema(value)
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types + ["null"]
    if (
        node.get("type") == "object"
        and "properties" in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
        and "additionalProperties" not in node
    ):
        out["additionalProperties"] = False
    return out


def root_schema(schema):
    """The validation schema of a whole object (apiVersion, kind and metadata are the server's)."""
    s = _json_schema(schema)
    props = dict(s.get("properties", {}))
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    props.setdefault("metadata", {"type": "object"})
    s["properties"] = props
    return s


def apply_defaults(schema, value):
    """Structural defaulting: absent fields with a default get it, recursively (also inside defaults)."""
    if isinstance(value, dict) and schema.get("type") == "object":
        for name, prop in schema.get("properties", {}).items():
            if name not in value and "default" in prop:
                value[name] = copy.deepcopy(prop["default"])
            if name in value:
                value[name] = apply_defaults(prop, value[name])
    elif isinstance(value, list) and "items" in schema:
        return [apply_defaults(schema["items"], v) for v in value]
    return value


def _path(parts):
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _type_name(v):
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if v is None:
        return "null"
    return "object"


def _message(error):
    """A jsonschema error in the API server's words."""
    path = _path(error.absolute_path)
    v, want = error.instance, error.validator_value
    kind = error.validator
    if kind == "required":
        missing = [r for r in want if r not in (v or {})]
        return [f"{_path(list(error.absolute_path) + [m])}: Required value" for m in missing]
    if kind == "enum":
        supported = ", ".join(f'"{x}"' for x in want)
        return [f'{path}: Unsupported value: "{v}": supported values: {supported}']
    if kind == "maximum":
        return [f"{path}: Invalid value: {v}: {path} in body should be less than or equal to {_num(want)}"]
    if kind == "minimum":
        return [f"{path}: Invalid value: {v}: {path} in body should be greater than or equal to {_num(want)}"]
    if kind == "minItems":
        return [f"{path}: Invalid value: {len(v)}: {path} in body should have at least {want} items"]
    if kind == "maxItems":
        return [f"{path}: Too many: {len(v)}: must have at most {want} items"]
    if kind == "minLength":
        return [f'{path}: Invalid value: "{v}": {path} in body should be at least {want} chars long']
    if kind == "maxLength":
        return [f"{path}: Too long: may not be more than {want} bytes"]
    if kind == "pattern":
        return [f'{path}: Invalid value: "{v}": {path} in body should match \'{want}\'']
    if kind == "type":
        want = want[0] if isinstance(want, list) else want
        return [f'{path}: Invalid value: "{_type_name(v)}": {path} in body must be of type {want}: "{_type_name(v)}"']
    if kind == "oneOf":
        return [f"{path}: Invalid value: \"object\": {path} in body must validate one and only one schema (oneOf)"]
    if kind == "additionalProperties":
        extra = sorted(set(v) - set(error.schema.get("properties", {})))
        return [f'unknown field "{_path(list(error.absolute_path) + [e])}"' for e in extra]
    return [f"{path}: {error.message}"]


def _set_errors(schema, value, path=()):
    """`x-kubernetes-list-type: set` and `map`: the API server refuses a repeated item (of a
    map list: a repeated key)."""
    out = []
    if isinstance(value, dict) and schema.get("type") == "object":
        for name, prop in schema.get("properties", {}).items():
            if name in value:
                out.extend(_set_errors(prop, value[name], path + (name,)))
    elif isinstance(value, list) and schema.get("type") == "array":
        if schema.get("x-kubernetes-list-type") == "set":
            seen = []
            for i, item in enumerate(value):
                if item in seen:
                    out.append(f'{_path(path + (i,))}: Duplicate value: "{item}"')
                seen.append(item)
        if schema.get("x-kubernetes-list-type") == "map":
            keys = schema.get("x-kubernetes-list-map-keys", [])
            seen = []
            for i, item in enumerate(value):
                key = {k: item.get(k) for k in keys} if isinstance(item, dict) else item
                if key in seen:
                    out.append(f"{_path(path + (i,))}: Duplicate value: {key}")
                seen.append(key)
        for i, item in enumerate(value):
            out.extend(_set_errors(schema.get("items", {}), item, path + (i,)))
    return out


def schema_errors(schema, obj):
    validator = jsonschema.Draft7Validator(root_schema(schema))
    out = []
    for e in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.absolute_path))):
        out.extend(_message(e))
    out.extend(_set_errors(schema, obj))
    return out


# ----------------------------------------------------------------------------------------- CEL

_ENV = celpy.Environment()
_PROGRAMS = {}


def _re2_matches(text, pattern):
    """CEL's `matches` as the API server runs it (Go RE2): `$` is the end of the text, where
    Python's `re` would also match before a final newline."""
    python_pattern = re.sub(r"(?<!\\)\$", r"\\Z", str(pattern))
    return celpy.celtypes.BoolType(re.search(python_pattern, str(text)) is not None)


def _program(rule):
    if rule not in _PROGRAMS:
        _PROGRAMS[rule] = _ENV.program(_ENV.compile(rule), functions={"matches": _re2_matches})
    return _PROGRAMS[rule]


def _typed(schema, value):
    """The value as the API server hands it to CEL: `number` fields are doubles."""
    t = schema.get("type")
    if t == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if t == "object" and isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {
            k: _typed(props.get(k, extra if isinstance(extra, dict) else {}), v) for k, v in value.items()
        }
    if t == "array" and isinstance(value, list):
        return [_typed(schema.get("items", {}), v) for v in value]
    return value


def _uses_old_self(rule):
    return "oldSelf" in rule


def cel_errors(schema, value, old=None, path=()):
    """Every failing x-kubernetes-validations rule under `schema` for `value` (and `old`, the
    stored object's value at the same place, for transition rules)."""
    out = []
    if value is None:
        return out
    for v in schema.get("x-kubernetes-validations", []):
        rule = v["rule"]
        if _uses_old_self(rule) and old is None:
            continue  # transition rules run on updates only, when the old value exists
        activation = {"self": celpy.json_to_cel(_typed(schema, value))}
        if _uses_old_self(rule):
            activation["oldSelf"] = celpy.json_to_cel(_typed(schema, old))
        where = _path(path)
        try:
            ok = _program(rule).evaluate(activation)
        except Exception as e:  # noqa: BLE001 - the API server reports evaluation errors too
            out.append(f"{where}: Invalid value: \"{_type_name(value)}\": error evaluating rule {rule!r}: {e}")
            continue
        if isinstance(ok, celpy.celtypes.BoolType) or isinstance(ok, bool):
            if not bool(ok):
                out.append(f'{where}: Invalid value: "{_type_name(value)}": {v.get("message", "failed rule: " + rule)}')
        else:
            out.append(f"{where}: Invalid value: rule {rule!r} did not evaluate to a bool: {ok!r}")
    if isinstance(value, dict):
        for name, prop in schema.get("properties", {}).items():
            if name in value:
                old_child = old.get(name) if isinstance(old, dict) else None
                out.extend(cel_errors(prop, value[name], old_child, path + (name,)))
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            out.extend(cel_errors(schema["items"], item, None, path + (i,)))
    return out


def admit(obj, old=None, crds=None):
    """What the API server answers to a create (old None) or an update of `obj`: the defaulted
    object and the list of error messages (empty when admitted)."""
    crds = crds or load_crds()
    key = (obj.get("apiVersion"), obj.get("kind"))
    if key not in crds:
        raise KeyError(f"no CRD for {key}")
    _, schema = crds[key]
    obj = apply_defaults(schema, copy.deepcopy(obj))
    errors = schema_errors(schema, obj)
    old_body = None
    if old is not None:
        old_body = apply_defaults(schema, copy.deepcopy(old))
    for name in ("spec", "status"):
        if name in obj and name in schema.get("properties", {}):
            old_child = old_body.get(name) if old_body else None
            errors.extend(cel_errors(schema["properties"][name], obj[name], old_child, (name,)))
    return obj, errors
