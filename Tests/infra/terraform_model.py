"""Parses infra/*.tf with python-hcl2 into plain values for the wiring tests.

python-hcl2 changed its output over the years (quoted keys and string literals since 7.x, comment and block
markers since 8.x); `_plain` folds every version into one shape: strings without their HCL quotes, expressions
as `${...}`, nested blocks as lists of dicts.
"""

import os
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Overridable so that a copy with a deliberate fault can be checked to fail.
INFRA = pathlib.Path(os.environ.get("CONTRAIL_INFRA_DIR", ROOT / "infra"))

_MARKERS = {"__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__"}


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return text[1:-1].replace('\\"', '"')
    return text


def _plain(value):
    if isinstance(value, dict):
        return {_unquote(key): _plain(item) for key, item in value.items() if key not in _MARKERS}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return _unquote(value)
    return value


def _load_hcl2():
    try:
        import hcl2
    except ImportError:
        pytest.fail("python-hcl2 is not installed (pip install python-hcl2)")
    # checkov depends on bc-python-hcl2, an old fork that installs the same `hcl2` package, with every attribute
    # wrapped in a list; whichever was installed last wins. Install checkov in a virtual environment of its own.
    from hcl2.version import __version__ as version
    if int(version.split(".")[0]) < 4:
        pytest.fail(f"hcl2 {version} at {hcl2.__file__} is not python-hcl2 >= 4 (bc-python-hcl2, from checkov, "
                    "replaced it: install checkov in a virtual environment of its own and python-hcl2 here)")
    return hcl2


class Terraform:
    """Every block of every .tf file in infra/, by kind and name."""

    def __init__(self, directory: pathlib.Path):
        hcl2 = _load_hcl2()
        self.files = sorted(directory.glob("*.tf"))
        self.resources: dict[str, dict[str, dict]] = {}
        self.data: dict[str, dict[str, dict]] = {}
        self.variables: dict[str, dict] = {}
        self.outputs: dict[str, dict] = {}
        self.locals: dict[str, object] = {}
        for path in self.files:
            parsed = _plain(hcl2.loads(path.read_text()))
            for block in parsed.get("resource", []):
                for kind, named in block.items():
                    for name, body in named.items():
                        assert name not in self.resources.get(kind, {}), f"{kind}.{name} is defined twice"
                        self.resources.setdefault(kind, {})[name] = body
            for block in parsed.get("data", []):
                for kind, named in block.items():
                    self.data.setdefault(kind, {}).update(named)
            for block in parsed.get("variable", []):
                self.variables.update(block)
            for block in parsed.get("output", []):
                self.outputs.update(block)
            for block in parsed.get("locals", []):
                self.locals.update(block)

    def resource(self, address: str) -> dict:
        kind, name = address.split(".")
        assert name in self.resources.get(kind, {}), f"{address} is not defined in infra/"
        return self.resources[kind][name]

    def of_kind(self, *kinds: str):
        for kind in kinds:
            for name, body in self.resources.get(kind, {}).items():
                yield f"{kind}.{name}", body

    def resolve(self, value):
        """Replaces a whole-value `${local.x}` by the local's own value, recursively."""
        while isinstance(value, str):
            match = re.fullmatch(r"\$\{local\.(\w+)\}", value)
            if not match:
                break
            assert match.group(1) in self.locals, f"local.{match.group(1)} is not defined"
            value = self.locals[match.group(1)]
        return value


def block(body: dict, name: str) -> dict:
    """The single nested block `name` of `body`."""
    assert name in body, f"no {name} block"
    value = body[name]
    if isinstance(value, list):
        assert len(value) == 1, f"expected one {name} block, found {len(value)}"
        value = value[0]
    assert isinstance(value, dict), f"{name} is not a block"
    return value


def blocks(body: dict, name: str) -> list[dict]:
    value = body.get(name, [])
    return value if isinstance(value, list) else [value]


def reference(value) -> str | None:
    """`type.name.attribute` when the value is exactly one reference `${type.name.attribute}`."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\$\{([\w-]+\.[\w-]+(?:\.[\w-]+)*)\}", value)
    return match.group(1) if match else None
