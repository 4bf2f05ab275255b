"""The documentation must describe the code as it is.

- The module diagram in the README is checked against Package.swift. Every node must be a target, every arrow
  must be a real dependency, and every dependency between the package's own targets must be drawn.
- The end-to-end diagram must name the Pub/Sub and Cloud Run resources that infra/ creates.
- docs/operations.md must name tests that exist, alerts that are defined, and metrics the binary exports.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE_MARKER = "%% module-dependencies"


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"^```mermaid[ \t]*\n(.*?)^```[ \t]*$", text, flags=re.M | re.S)


def readme_diagrams() -> tuple[Path, list[str]]:
    path = ROOT / "README.md"
    blocks = mermaid_blocks(path.read_text())
    if not blocks:
        pytest.fail("no Mermaid diagram in README.md")
    return path, blocks


def module_diagram(blocks: list[str], where: Path) -> str:
    found = [block for block in blocks if MODULE_MARKER in block]
    assert len(found) == 1, f"{where}: expected one Mermaid block marked '{MODULE_MARKER}', found {len(found)}"
    return found[0]


def end_to_end_diagram(blocks: list[str], where: Path) -> str:
    found = [block for block in blocks if MODULE_MARKER not in block]
    assert len(found) == 1, f"{where}: expected one end-to-end Mermaid block besides the module one, found {len(found)}"
    return found[0]


# Package.swift

def strip_swift_comments(text: str) -> str:
    # Good enough for a manifest: no string literal in it contains "//" outside a URL, and URLs are in
    # .package(url:) lines, which the target parser never reads.
    return re.sub(r"//[^\n]*", "", text)


def balanced_call(text: str, open_paren: int) -> str:
    """The text between the parenthesis at `open_paren` and its match, skipping string literals."""
    depth = 0
    index = open_paren
    in_string = False
    while index < len(text):
        char = text[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[open_paren + 1 : index]
        index += 1
    raise AssertionError("unbalanced parentheses in Package.swift")


def bracketed(text: str, open_bracket: int) -> str:
    depth = 0
    for index in range(open_bracket, len(text)):
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return text[open_bracket + 1 : index]
    raise AssertionError("unbalanced brackets in Package.swift")


def package_targets() -> dict[str, dict]:
    """Non-test targets: name -> {"path": …, "dependencies": {in-package target names}}."""
    text = strip_swift_comments((ROOT / "Package.swift").read_text())
    targets = {}
    consumed = 0
    for match in re.finditer(r"\.(target|executableTarget|testTarget)\s*\(", text):
        # A .target(name:) inside a dependencies list is a reference, not a declaration.
        if match.start() < consumed:
            continue
        body = balanced_call(text, match.end() - 1)
        consumed = match.end() + len(body)
        name = re.search(r'\bname:\s*"([^"]+)"', body)
        assert name, f"a .{match.group(1)}( without a name in Package.swift"
        if match.group(1) == "testTarget":
            continue
        path = re.search(r'\bpath:\s*"([^"]+)"', body)
        dependencies: set[str] = set()
        list_start = re.search(r"\bdependencies:\s*\[", body)
        if list_start:
            entries = bracketed(body, list_start.end() - 1)
            # Bare string literals are this package's targets; .product(name:package:) entries belong to other
            # packages and are dropped first.
            entries = re.sub(r"\.product\s*\([^)]*\)", "", entries)
            dependencies = set(re.findall(r'"([^"]+)"', entries))
            # A .target(name:) entry names a target too.
            dependencies |= set(re.findall(r'\.target\s*\(\s*name:\s*"([^"]+)"', bracketed(body, list_start.end() - 1)))
        targets[name.group(1)] = {"path": path.group(1) if path else None, "dependencies": dependencies}
    return targets


# Mermaid

NODE = r"([A-Za-z_][A-Za-z0-9_]*)(?:\s*(?:\[[^\]]*\]|\([^)]*\)|\{[^}]*\}))?"
EDGE = re.compile(rf"^{NODE}\s*-->\s*{NODE}\s*;?$")
IGNORED = re.compile(r"^(%%|(flowchart|graph|direction|classDef|class|style|linkStyle|click)\b)")


def parse_module_diagram(block: str) -> tuple[set[str], set[tuple[str, str]], dict[str, str]]:
    """Nodes, edges, and the folder label of the subgraph each node is declared in."""
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    folder_of: dict[str, str] = {}
    subgraphs: list[str] = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line or IGNORED.match(line):
            continue
        subgraph = re.match(r'^subgraph\s+[A-Za-z0-9_]+\s*\[\s*"?([^"\]]*)"?\s*\]$', line)
        if subgraph:
            subgraphs.append(subgraph.group(1))
            continue
        if line.startswith("subgraph"):
            pytest.fail(f"module diagram: write subgraphs as subgraph id[\"Folder/\"]: {line!r}")
        if line == "end":
            assert subgraphs, "module diagram: 'end' without a subgraph"
            subgraphs.pop()
            continue
        edge = EDGE.match(line)
        if edge:
            source, target = edge.group(1), edge.group(2)
            edges.add((source, target))
            nodes |= {source, target}
            continue
        node = re.fullmatch(NODE, line)
        if node:
            nodes.add(node.group(1))
            if subgraphs:
                folder_of[node.group(1)] = subgraphs[-1]
            continue
        pytest.fail(f"module diagram: a line this test cannot read (one node or one A --> B per line): {line!r}")
    return nodes, edges, folder_of


@pytest.fixture(scope="module")
def diagrams():
    return readme_diagrams()


@pytest.fixture(scope="module")
def modules(diagrams):
    where, blocks = diagrams
    return parse_module_diagram(module_diagram(blocks, where))


def test_package_swift_parses_into_targets_with_dependencies():
    targets = package_targets()
    assert len(targets) >= 5, f"suspiciously few targets parsed: {sorted(targets)}"
    assert any(target["dependencies"] for target in targets.values()), "no in-package dependency parsed"
    for name, target in targets.items():
        unknown = target["dependencies"] - set(targets)
        assert not unknown, f"{name} depends on {sorted(unknown)}, which are not targets of this package"


def test_every_module_in_the_diagram_is_a_target_and_every_target_is_drawn(modules):
    nodes, _, _ = modules
    targets = set(package_targets())
    assert nodes - targets == set(), f"drawn but not a target in Package.swift: {sorted(nodes - targets)}"
    assert targets - nodes == set(), f"targets missing from the module diagram: {sorted(targets - nodes)}"


def test_every_arrow_is_a_dependency_and_every_dependency_is_drawn(modules):
    _, edges, _ = modules
    real = {(name, dependency) for name, target in package_targets().items() for dependency in target["dependencies"]}
    invented = sorted(f"{a} --> {b}" for a, b in edges - real)
    missing = sorted(f"{a} --> {b}" for a, b in real - edges)
    assert not invented, f"arrows with no such dependency in Package.swift: {invented}"
    assert not missing, f"dependencies in Package.swift with no arrow: {missing}"


def test_each_module_sits_in_the_folder_its_target_lives_in(modules):
    _, _, folder_of = modules
    targets = package_targets()
    for name, folder in folder_of.items():
        path = targets[name]["path"] or f"Sources/{name}"
        assert (path + "/").startswith(folder.rstrip("/") + "/"), f"{name} is drawn in {folder} but lives in {path}"
        assert (ROOT / path).is_dir(), f"{name}'s folder {path} does not exist"


def terraform_names() -> set[str]:
    """Names of the topics, subscriptions and Cloud Run services infra/ creates, with variables at their defaults."""
    variables = (ROOT / "infra" / "variables.tf").read_text()
    defaults = dict(re.findall(r'variable\s+"([^"]+)"\s*\{[^}]*?default\s*=\s*"([^"]*)"', variables, flags=re.S))
    names = set()
    for file in ("pubsub.tf", "run.tf"):
        text = (ROOT / "infra" / file).read_text()
        for block in re.finditer(r'resource\s+"(google_pubsub_topic|google_pubsub_subscription|google_cloud_run_v2_service)"'
                                 r'\s+"[^"]+"\s*\{\s*name\s*=\s*(\S+)', text):
            value = block.group(2)
            value = re.sub(r"\$\{var\.([a-z_]+)\}", lambda m: defaults[m.group(1)], value)
            value = re.sub(r"^var\.([a-z_]+)$", lambda m: defaults[m.group(1)], value)
            names.add(value.strip('"'))
    return names


def test_the_end_to_end_diagram_names_what_infra_creates(diagrams):
    where, blocks = diagrams
    diagram = end_to_end_diagram(blocks, where)
    names = terraform_names()
    assert {"ingest", "query"} <= names, f"parsed too little from infra/: {sorted(names)}"
    missing = sorted(name for name in names if not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", diagram))
    assert not missing, f"infra/ creates {missing}, which the end-to-end diagram does not name"


def test_docs_architecture_carries_the_same_diagrams_as_the_readme(diagrams):
    _, blocks = diagrams
    in_docs = mermaid_blocks((ROOT / "docs" / "architecture.md").read_text())
    assert sorted(in_docs) == sorted(blocks), "docs/architecture.md and the README's diagrams differ"


# docs/operations.md

# `path` › "display name"   or   `path` › `function_name`   (Swift @Test, Swift func, Python test, promtool alert)
TEST_REFERENCE = re.compile(r'`((?:Tests|infra)/[^`]+)`\s*›\s*(?:"([^"\n]+)"|`([A-Za-z_][A-Za-z0-9_]*)`)')


def operations() -> str:
    return (ROOT / "docs" / "operations.md").read_text()


def named_in_file(path: Path, display: str | None, function: str | None) -> bool:
    text = path.read_text()
    if path.suffix == ".swift":
        if display is not None:
            return re.search(r"@Test\(\s*" + re.escape(f'"{display}"'), text) is not None
        return re.search(rf"\bfunc\s+{re.escape(function)}\s*\(", text) is not None
    if path.suffix == ".py":
        return function is not None and re.search(rf"^\s*(?:async\s+)?def\s+{re.escape(function)}\s*\(", text, re.M) is not None
    if path.suffix in (".yml", ".yaml"):
        # A promtool test file: the named alert must be among the alerts it evaluates.
        return function is not None and re.search(rf"^\s*alertname:\s*{re.escape(function)}\s*$", text, re.M) is not None
    return False


def test_operations_names_tests_in_the_fixed_form():
    references = TEST_REFERENCE.findall(operations())
    assert len(references) >= 8, "docs/operations.md should name at least one test per critical point"
    # A test name written in another form would escape the check below.
    stray = re.findall(r'^\s*-\s*(`(?:Tests|infra)/[^`]+`)(?!\s*›)', operations(), re.M)
    assert not stray, f"test files named without a test (write `path` › \"name\" or `path` › `func`): {stray}"


@pytest.mark.parametrize("path,display,function", TEST_REFERENCE.findall(operations()) if (ROOT / "docs" / "operations.md").exists() else [])
def test_every_test_named_in_operations_exists(path, display, function):
    file = ROOT / path
    assert file.is_file(), f"{path} does not exist"
    assert named_in_file(file, display or None, function or None), f"{path} has no test {display or function!r}"


def test_every_alert_named_in_operations_is_defined():
    text = operations()
    rules = (ROOT / "infra" / "monitoring" / "prometheus" / "alerting-rules.yml").read_text()
    defined = set(re.findall(r"^\s*-\s*alert:\s*(\S+)", rules, re.M))
    named = set(re.findall(r"`(Contrail[A-Z][A-Za-z]+)`", text))
    assert named, "docs/operations.md names no Prometheus alert"
    assert named <= defined, f"alerts named in docs/operations.md but not defined: {sorted(named - defined)}"

    policies = set(re.findall(r'resource\s+"google_monitoring_alert_policy"\s+"([^"]+)"', (ROOT / "infra" / "monitoring.tf").read_text()))
    named_policies = set(re.findall(r"`google_monitoring_alert_policy\.([a-z_]+)`", text))
    assert named_policies <= policies, f"Cloud Monitoring policies named but not defined: {sorted(named_policies - policies)}"


def test_every_metric_named_in_the_docs_is_exported():
    exported = {line.strip() for line in (ROOT / "infra" / "monitoring" / "exported-metrics.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    for doc in ("operations.md", "scaling.md"):
        named = set(re.findall(r"\b(contrail_[a-z_]+[a-z])\b", (ROOT / "docs" / doc).read_text()))
        # Families documented with a wildcard (contrail_pubsub_*) are prefixes, not names.
        named = {name for name in named if not name.endswith("_")}
        assert named <= exported, f"docs/{doc} names metrics the binary does not export: {sorted(named - exported)}"
