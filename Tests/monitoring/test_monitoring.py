"""Checks that the dashboard and the Prometheus rules ask only for series the service exports.

The exported names come from infra/monitoring/exported-metrics.txt, which the Swift tests compare with a real
scrape of /_/metrics; so a renamed metric fails one side or the other instead of leaving a panel or an alert
silently empty. Run: python3 -m pytest -q Tests/monitoring
"""

import json
import pathlib
import re

import promql_parser
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
MONITORING = ROOT / "infra" / "monitoring"
EXPORTED_FILE = MONITORING / "exported-metrics.txt"
DASHBOARD_FILE = MONITORING / "grafana" / "contrail-dashboard.json"
RULES_DIR = MONITORING / "prometheus"
RULE_FILES = sorted(RULES_DIR.glob("*-rules.yml"))
RULE_TEST_FILES = sorted((RULES_DIR / "tests").glob("*.yml"))

# The shape of each exported metric: its type and labels. Names must equal exported-metrics.txt (checked below);
# the shape is what lets a query's `_bucket` suffix or a label matcher be checked too, so a typo such as
# status="5xx" for status_class="5xx" fails here rather than matching nothing in production.
SHAPES = {
    "contrail_function_requests_total": ("counter", {"function", "status_class"}),
    "contrail_function_request_duration_seconds": ("histogram", {"function"}),
    "contrail_function_requests_in_flight": ("gauge", {"function"}),
    "contrail_ingest_messages_stored_total": ("counter", set()),
    "contrail_ingest_duplicates_total": ("counter", set()),
    "contrail_ingest_delivery_attempt": ("histogram", set()),
    "contrail_ingest_lag_seconds": ("histogram", set()),
    "contrail_store_commit_duration_seconds": ("histogram", set()),
    "contrail_store_commit_batch_size": ("histogram", set()),
    "contrail_store_errors_total": ("counter", {"operation"}),
    "contrail_store_pool_connections_in_use": ("gauge", set()),
    "contrail_store_pool_connections_max": ("gauge", set()),
    "contrail_pubsub_backlog_messages": ("gauge", {"subscription"}),
    "contrail_pubsub_oldest_unacked_message_age_seconds": ("gauge", {"subscription"}),
    "contrail_pubsub_push_requests_total": ("counter", {"subscription", "outcome"}),
    "contrail_pubsub_dead_lettered_messages_total": ("counter", {"subscription"}),
    "contrail_pubsub_acknowledged_messages_total": ("counter", {"subscription"}),
}
LABEL_VALUES = {
    "status_class": {"2xx", "4xx", "5xx"},
    "outcome": {"ack", "nack", "timeout", "error"},
    "operation": {"insert", "query", "stats", "migrate", "health"},
    "function": {"ingest", "query"},
}
# Labels Prometheus attaches to every scraped series, and the one series it makes up itself per target.
TARGET_LABELS = {"job", "instance"}
SYNTHETIC = {"up": TARGET_LABELS}

GRAFANA_INTERVALS = ("$__rate_interval", "$__interval", "$__range")
PANEL_TYPES = {"row", "timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text"}


def exported_names() -> list[str]:
    lines = [line.strip() for line in EXPORTED_FILE.read_text().splitlines()]
    return [line for line in lines if line]


def load_rules() -> list[dict]:
    return [rule for path in RULE_FILES for group in yaml.safe_load(path.read_text())["groups"]
            for rule in group["rules"]]


def recorded_names() -> set[str]:
    return {rule["record"] for rule in load_rules() if "record" in rule}


def load_dashboard() -> dict:
    return json.loads(DASHBOARD_FILE.read_text())


def grafana_to_promql(expr: str) -> str:
    """Grafana's interval macros stand where PromQL needs a duration; variables elsewhere sit inside strings."""
    for macro in GRAFANA_INTERVALS:
        expr = expr.replace(macro, "5m")
    return expr


def selectors(expr: str) -> list[tuple[str, dict[str, str]]]:
    """(metric name, {label: matcher value}) for every vector selector in a PromQL expression."""
    found = []

    def visit(node):
        if isinstance(node, promql_parser.VectorSelector):
            matchers = {m.name: m.value for m in node.matchers.matchers}
            name = node.name or matchers.pop("__name__", None)
            found.append((name, matchers))

    promql_parser.walk(promql_parser.parse(expr), pre_visit=visit)
    return found


def resolve(name: str) -> tuple[str, str, set[str]] | None:
    """The exported metric a series name belongs to, with that series' labels; None if it is not exported."""
    if name in SHAPES:
        kind, labels = SHAPES[name]
        return (name, kind, labels | ({"le"} if kind == "histogram" else set()))
    for suffix in ("_bucket", "_sum", "_count"):
        base = name.removesuffix(suffix)
        if base != name and SHAPES.get(base, ("",))[0] == "histogram":
            return (base, "histogram", SHAPES[base][1] | ({"le"} if suffix == "_bucket" else set()))
    return None


def check_selector(name, matchers, recorded: set[str], where: str):
    assert name, f"{where}: a selector without a metric name"
    if ":" in name:
        assert name in recorded, f"{where}: {name} is not defined by any recording rule"
        return
    if name in SYNTHETIC:
        allowed = SYNTHETIC[name]
    else:
        resolved = resolve(name)
        assert resolved, f"{where}: {name} is not an exported metric ({EXPORTED_FILE.name})"
        allowed = resolved[2]
    for label, value in matchers.items():
        assert label in allowed | TARGET_LABELS, f"{where}: {name} has no label {label!r}"
        known = LABEL_VALUES.get(label)
        if known and not any(ch in value for ch in "$.*|+?()[]"):
            assert value in known, f"{where}: {label}={value!r} is never exported (expected one of {sorted(known)})"


# --- the exported set ---------------------------------------------------------------------------------------------


def test_exported_metrics_file_lists_each_metric_once():
    names = exported_names()
    assert len(names) == len(set(names)), "duplicate names"
    for name in names:
        assert re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", name), name
        assert not name.endswith(("_bucket", "_sum", "_count")), f"{name}: list the histogram's base name"


def test_metric_shapes_cover_exactly_the_exported_set():
    assert set(exported_names()) == set(SHAPES)


# --- the dashboard ------------------------------------------------------------------------------------------------


def dashboard_panels(dashboard: dict) -> list[dict]:
    panels = []
    for panel in dashboard["panels"]:
        panels.append(panel)
        panels.extend(panel.get("panels", []))  # collapsed rows keep their panels inside
    return panels


def dashboard_exprs() -> list[tuple[str, str]]:
    """(where, PromQL) for every target and every query variable of the dashboard."""
    dashboard = load_dashboard()
    exprs = []
    for panel in dashboard_panels(dashboard):
        for target in panel.get("targets", []):
            exprs.append((f"panel {panel['title']!r} target {target['refId']}", target["expr"]))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] != "query":
            continue
        query = variable["query"]["query"] if isinstance(variable["query"], dict) else variable["query"]
        match = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*(\w+)\s*\)\s*", query)
        assert match, f"variable {variable['name']}: only label_values(selector, label) is supported, got {query!r}"
        exprs.append((f"variable {variable['name']}", match.group(1)))
    return exprs


def test_dashboard_has_the_top_level_fields_grafana_requires():
    dashboard = load_dashboard()
    for key in ("uid", "title", "schemaVersion", "panels", "templating", "time", "annotations", "version"):
        assert key in dashboard, key
    assert isinstance(dashboard["schemaVersion"], int) and dashboard["schemaVersion"] >= 36
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,40}", dashboard["uid"])
    assert {"from", "to"} <= dashboard["time"].keys()
    assert isinstance(dashboard["templating"]["list"], list)


def test_dashboard_datasource_is_a_variable_every_query_uses():
    dashboard = load_dashboard()
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    allowed = {"${datasource}", "${DS_PROMETHEUS}"}
    for panel in dashboard_panels(dashboard):
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["type"] == "prometheus", panel["title"]
        assert panel["datasource"]["uid"] in allowed, panel["title"]
        for target in panel["targets"]:
            assert target.get("datasource", panel["datasource"]) == panel["datasource"], panel["title"]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"]["uid"] in allowed, variable["name"]


def test_dashboard_panels_are_well_formed_and_do_not_overlap():
    dashboard = load_dashboard()
    panels = dashboard_panels(dashboard)
    ids = [panel["id"] for panel in panels]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    cells = {}
    for panel in panels:
        title = panel.get("title", panel["id"])
        assert panel["type"] in PANEL_TYPES, f"{title}: unknown panel type {panel['type']}"
        assert isinstance(panel["id"], int)
        assert panel.get("title"), f"panel {panel['id']} has no title"
        grid = panel["gridPos"]
        for key in ("h", "w", "x", "y"):
            assert isinstance(grid[key], int) and grid[key] >= 0, f"{title}: gridPos.{key}"
        assert 1 <= grid["w"] <= 24 and grid["x"] + grid["w"] <= 24 and grid["h"] >= 1, f"{title}: {grid}"
        for dx in range(grid["w"]):
            for dy in range(grid["h"]):
                cell = (grid["x"] + dx, grid["y"] + dy)
                assert cell not in cells, f"{title} overlaps {cells[cell]}"
                cells[cell] = title
        if panel["type"] == "row":
            assert grid["w"] == 24 and grid["h"] == 1, f"row {title}"
            continue
        assert panel["targets"], f"{title}: no targets"
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids)), f"{title}: duplicate refId"
        for target in panel["targets"]:
            assert isinstance(target.get("expr"), str) and target["expr"].strip(), f"{title}: target without expr"
        assert "defaults" in panel["fieldConfig"], title


@pytest.mark.parametrize("where,expr", [pytest.param(w, e, id=w) for w, e in dashboard_exprs()])
def test_dashboard_query_names_only_exported_or_recorded_metrics(where, expr):
    found = selectors(grafana_to_promql(expr))
    assert found, f"{where}: no metric in {expr!r}"
    for name, matchers in found:
        check_selector(name, matchers, recorded_names(), where)


def test_dashboard_shows_every_exported_metric():
    used = set()
    for _, expr in dashboard_exprs():
        for name, _ in selectors(grafana_to_promql(expr)):
            resolved = resolve(name)
            if resolved:
                used.add(resolved[0])
    assert set(exported_names()) - used == set()


# --- the rules ----------------------------------------------------------------------------------------------------


def rule_exprs() -> list[tuple[str, str]]:
    """(alert name, or record name with its slo label, PromQL) for every rule."""
    exprs = []
    for rule in load_rules():
        where = rule.get("alert") or rule["record"]
        if "slo" in rule.get("labels", {}) and "record" in rule:
            where += f"{{slo={rule['labels']['slo']}}}"
        exprs.append((where, rule["expr"]))
    return exprs


@pytest.mark.parametrize("where,expr", [pytest.param(w, e, id=w) for w, e in rule_exprs()])
def test_rule_names_only_exported_or_recorded_metrics(where, expr):
    for name, matchers in selectors(expr):
        check_selector(name, matchers, recorded_names(), where)


def test_every_recording_rule_is_used():
    used = {name for _, expr in rule_exprs() + dashboard_exprs() for name, _ in selectors(grafana_to_promql(expr))}
    assert recorded_names() - used == set()


def test_every_alert_has_a_severity_and_a_summary():
    for rule in load_rules():
        if "alert" in rule:
            assert rule["labels"]["severity"] in {"page", "ticket"}, rule["alert"]
            assert rule["annotations"]["summary"], rule["alert"]


def test_every_alert_is_tested_firing_and_silent():
    """promtool proves each expectation; this proves that each alert has both kinds of expectation."""
    alerts = {rule["alert"] for rule in load_rules() if "alert" in rule}
    fires, silent = set(), set()
    for path in RULE_TEST_FILES:
        spec = yaml.safe_load(path.read_text())
        assert {pathlib.Path(f).name for f in spec["rule_files"]} == {f.name for f in RULE_FILES}, path.name
        for test in spec["tests"]:
            for check in test.get("alert_rule_test", []):
                (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    assert alerts - fires == set(), "alerts never shown firing"
    assert alerts - silent == set(), "alerts never shown silent on a healthy series"
    assert (fires | silent) - alerts == set(), "tests name alerts that do not exist"
