"""The console of `contrail dev`, driven as a developer drives it: headless Chromium on its pages, plus its HTTP API.

docs/console.md is the contract. The pages are read through the elements tests may rely on (`table#functions`,
`tr[data-invocation-id]`, `form.faults`, `#notice`, ...), never through their wording or layout. The tests also
write the screenshots the README shows (docs/console/*.png), each at the point where its page has real content.

The tests share one `dev` and one browser and put back what they change; the large backlog runs last, because the
10,000 messages it leaves flowing into `ingest` need not finish before the module stops `dev`.
"""

import html.parser
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from console_support import ROOT, b64, form_post, google_error, http, wait_until

SCREENSHOTS = ROOT / "docs" / "console"
# Every wait in this suite is bounded by this, unless it says otherwise.
WAIT_SECONDS = 30
# The push subscription of the reference app, the dead-letter subscription that keeps what it gives up on, and the
# number of attempts after which it gives up.
PUSH = "ingest-push"
KEEPER = "events-dead-letter-pull"
MAX_DELIVERY_ATTEMPTS = 10
# Pages are paginated, so a backlog of 10,000 renders as fast as a small one; seconds, not tens of them.
BULK_MESSAGES = 10_000
BULK_BATCH = 1_000
PAGE_SIZE = 50
RENDER_LIMIT_SECONDS = 5.0
SCREENSHOT_INVOCATIONS = 2_000


# The browser side.

def wait(browser, condition, what: str, timeout: float = WAIT_SECONDS):
    return WebDriverWait(browser, timeout).until(condition, f"waited {timeout:g} s for {what}")


def screenshot(browser, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def page_outcome(browser):
    """("notice" | "error", its text) when the page shows either with some text, else None."""
    try:
        for kind in ("error", "notice"):
            for element in browser.find_elements(By.ID, kind):
                if element.is_displayed() and element.text.strip():
                    return kind, element.text.strip()
    except WebDriverException:
        # Read while the next page replaced this one (a stale element, or Chrome's "does not belong to the
        # document"): not settled yet.
        return None
    return None


def replaced(element):
    """A condition: `element` no longer belongs to the page shown."""
    def condition(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    return condition


def submit(browser, form) -> tuple:
    """Clicks the form's one submit button and waits for the page it leads to: ("notice" | "error", text)."""
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit], button:not([type])")
    button.click()
    wait(browser, replaced(button), "the form's answer to replace the page")
    return wait(browser, page_outcome, "#notice or #error on the page the form leads to")


def submit_expecting_notice(browser, form) -> str:
    kind, text = submit(browser, form)
    assert kind == "notice", f"expected #notice, the page shows #error: {text!r}"
    return text


def click_fresh(browser, selector: str):
    """Clicks the element `selector` finds, finding it again if the page redrew it in between."""
    for _ in range(5):
        try:
            browser.find_element(By.CSS_SELECTOR, selector).click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{selector} kept being redrawn before it could be clicked")


def subscription_row(browser, subscription_id: str):
    return browser.find_element(By.CSS_SELECTOR, f'table#subscriptions tr[data-subscription="{subscription_id}"]')


def row_ids(browser, selector: str, attribute: str) -> list:
    """The attribute of every row matching `selector`, read in one go so that live updates cannot interleave."""
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(row => row.getAttribute(arguments[1]))",
        selector, attribute)


def chart_total(browser, function: str):
    chart = browser.find_element(By.CSS_SELECTOR, f'canvas.chart[data-function="{function}"]')
    value = chart.get_attribute("data-total")
    return int(value) if value not in (None, "") else None


def set_faults_through_the_form(browser, dev, failure_percent: int, latency_ms: int = 0) -> str:
    browser.get(dev.console("/pubsub"))
    form = subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "form.faults")
    for name, value in (("failurePercent", failure_percent), ("latencyMs", latency_ms)):
        field = form.find_element(By.CSS_SELECTOR, f'input[name="{name}"]')
        field.clear()
        field.send_keys(str(value))
    return submit_expecting_notice(browser, form)


class Elements(html.parser.HTMLParser):
    """The start tags of a page as served, before any script runs: (tag, attributes) pairs."""

    def __init__(self, body: bytes):
        super().__init__()
        self.found = []
        self.feed(body.decode("utf-8", "replace"))

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def served_elements(body: bytes, tag: str | None = None, **attributes) -> list:
    """Elements of a served page with the given tag and attributes (None: the attribute is present)."""
    return [found for found in Elements(body).found if (tag is None or found[0] == tag) and all(
        name in found[1] and (value is None or found[1][name] == value) for name, value in attributes.items())]


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def backlog_is_empty(dev):
    return wait_until(lambda: dev.subscription(PUSH)["backlog"] == 0, WAIT_SECONDS, f"{PUSH}'s backlog to be empty")


# The console comes with `dev`.

def test_dev_prints_the_console_url_in_its_banner(dev):
    url = f"http://127.0.0.1:{dev.console_port}/"
    # A line of the banner that starts with "Console" and names the URL, while dev runs: its output may be a pipe or
    # a file (as here), not a terminal, and the banner must still reach it.
    banner = re.compile(rf"^\s*Console:?\s+{re.escape(url)}", re.M)
    wait_until(lambda: banner.search(dev.output()), 10, f"a banner line 'Console {url}' in the output of dev")


def test_the_functions_page_lists_every_registered_function_with_its_chart(dev, browser):
    browser.get(dev.console("/"))
    names = {entry["name"] for entry in dev.console_json("/api/v1/functions")["functions"]}
    assert {"ingest", "query"} <= names
    for name in names:
        browser.find_element(By.CSS_SELECTOR, f'table#functions tr[data-function="{name}"]')
        browser.find_element(By.CSS_SELECTOR, f'canvas.chart[data-function="{name}"]')
    browser.find_element(By.CSS_SELECTOR, "table#invocations")


def test_the_pubsub_page_lists_the_subscriptions_with_their_state_and_controls(dev, browser):
    browser.get(dev.console("/pubsub"))
    for subscription_id in (PUSH, KEEPER):
        subscription_row(browser, subscription_id)
    row = subscription_row(browser, PUSH)
    for selector in ("td.backlog", "td.oldest", "td.outcomes", "td.flow", "td.settings", "a.peek",
                     "form.faults", "form.skip-waits"):
        assert row.find_elements(By.CSS_SELECTOR, selector), f"the {PUSH} row has no {selector}"
    assert row.find_elements(By.CSS_SELECTOR, "form.pause") or row.find_elements(By.CSS_SELECTOR, "form.resume"), \
        f"the {PUSH} row has neither form.pause nor form.resume"
    backlog = row.find_element(By.CSS_SELECTOR, "td.backlog").text
    assert re.fullmatch(r"\d+", backlog), f"td.backlog reads {backlog!r}, expected an integer"
    options = [option.get_attribute("value")
               for option in browser.find_elements(By.CSS_SELECTOR, "form#publish select[name=topic] option")]
    assert "events" in options, f"the publish form offers the topics {options}"


# a. The pipeline, live.

def test_a_message_published_through_the_form_appears_as_an_invocation_and_moves_the_chart(dev, browser):
    browser.get(dev.console("/"))
    functions_tab = browser.current_window_handle
    wait(browser, lambda b: chart_total(b, "ingest") is not None, "ingest's chart to carry data-total")
    total_before = chart_total(browser, "ingest")
    browser.execute_script("window.consoleTestMarker = 'still the same page'")

    payload = {"reading": str(uuid.uuid4()), "temp": 21}
    browser.switch_to.new_window("tab")
    try:
        browser.get(dev.console("/pubsub"))
        form = browser.find_element(By.CSS_SELECTOR, "form#publish")
        Select(form.find_element(By.CSS_SELECTOR, "select[name=topic]")).select_by_value("events")
        form.find_element(By.CSS_SELECTOR, "textarea[name=data]").send_keys(compact(payload))
        form.find_element(By.CSS_SELECTOR, "textarea[name=attributes]").send_keys("site=console-test")
        form.find_element(By.CSS_SELECTOR, "input[name=orderingKey]")
        notice = submit_expecting_notice(browser, form)
        record = wait_until(lambda: dev.record_with_data(payload), WAIT_SECONDS, "the published message to be stored")
        message_id = record["messageId"]
        assert message_id in notice, f"the notice does not name the new message {message_id}: {notice!r}"
    finally:
        browser.close()
        browser.switch_to.window(functions_tab)

    invocation = wait_until(
        lambda: next((entry for entry in dev.console_json("/api/v1/invocations?function=ingest&limit=50")["invocations"]
                      if entry["messageId"] == message_id), None),
        WAIT_SECONDS, f"GET /api/v1/invocations to list ingest's invocation for {message_id}")
    invocation_id = str(invocation["id"])
    selector = f'table#invocations tbody tr[data-invocation-id="{invocation_id}"]'
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, selector)),
         f"the row of invocation {invocation_id} to appear on / without a reload")
    assert browser.execute_script("return window.consoleTestMarker") == "still the same page", "/ was reloaded"
    # Read in one go: the page may redraw its rows on the next snapshot.
    cells = browser.execute_script(
        "const row = document.querySelector(arguments[0]);"
        "const cell = name => { const found = row.querySelector(name);"
        "                       return found ? found.textContent.trim() : null };"
        "return {function: cell('td.function'), status: cell('td.status'), duration: cell('td.duration'),"
        "        attempt: cell('td.attempt'), trace: cell('td.trace'), logs: cell('a.logs')}", selector)
    assert None not in cells.values(), f"the invocation's row lacks cells: {cells}"
    assert cells["function"] == "ingest", cells
    assert re.search(r"\b2\d\d\b", cells["status"]), f"td.status of a stored message: {cells}, expected a 2xx status"
    assert re.search(r"\b1\b", cells["attempt"]), f"td.attempt of a first delivery: {cells}"
    wait(browser, lambda b: chart_total(b, "ingest") is not None and chart_total(b, "ingest") > total_before,
         f"data-total of ingest's chart to grow from {total_before}")

    click_fresh(browser, f"{selector} a.logs")
    wait(browser, EC.url_contains(f"/invocations/{invocation_id}"), "the invocation's page to open")
    lines = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "ol#log-lines li"), "at least one log line")
    assert lines
    fields = browser.find_element(By.CSS_SELECTOR, "dl#invocation").text
    assert "ingest" in fields and message_id in fields, f"dl#invocation: {fields!r}"
    screenshot(browser, "invocation")

    stored = dev.record(message_id)
    assert stored is not None, f"GET /query/records/{message_id} does not serve the message"
    assert stored["data"] == payload and stored["attributes"].get("site") == "console-test", stored


# b. Peek.

def test_peeking_at_a_paused_subscription_shows_its_messages_and_leaves_its_backlog_unchanged(dev, browser):
    backlog_is_empty(dev)
    run = str(uuid.uuid4())
    payloads = [compact({"peek": run, "n": n}) for n in range(3)]
    try:
        browser.get(dev.console("/pubsub"))
        submit_expecting_notice(browser, subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "form.pause"))
        assert dev.subscription(PUSH)["paused"] is True
        ids = dev.publish(payloads, {"run": run})

        browser.get(dev.console("/pubsub"))
        subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "a.peek").click()
        wait(browser, EC.url_contains(f"/pubsub/subscriptions/{PUSH}/messages"), "the peek page to open")
        rows = browser.find_elements(By.CSS_SELECTOR, "table#messages tbody tr[data-message-id]")
        assert [row.get_attribute("data-message-id") for row in rows] == ids, "peek should list the 3, oldest first"
        assert [row.find_element(By.CSS_SELECTOR, "td.data").text for row in rows] == payloads
        screenshot(browser, "peek")

        browser.get(dev.console("/pubsub"))
        assert subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "td.backlog").text == "3"
        screenshot(browser, "pubsub")
        assert dev.subscription(PUSH)["backlog"] == 3
        peeked = dev.console_json(f"/api/v1/subscriptions/{PUSH}/messages")["messages"]
        assert [message["messageId"] for message in peeked] == ids
        assert [message["data"] for message in peeked] == [b64(payload) for payload in payloads]
        assert dev.subscription(PUSH)["backlog"] == 3

        # Nothing was leased: resumed, the messages go out at once, not after the 60 s ack deadline.
        submit_expecting_notice(browser, subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "form.resume"))
        backlog_is_empty(dev)
        for message_id in ids:
            assert dev.record(message_id) is not None, f"{message_id} was not stored after the resume"
    finally:
        dev.resume(PUSH)


# c. Dead letters.

def test_a_failing_functions_message_reaches_the_dead_letters_and_a_redrive_after_the_fix_stores_it(dev, browser):
    payload = {"dead": str(uuid.uuid4())}
    try:
        set_faults_through_the_form(browser, dev, 100)
        assert dev.subscription(PUSH)["faults"] == {"failurePercent": 100, "latencyMs": 0}
        dev.publish([compact(payload)], {"site": "dead-letter-test"})

        def dead_letter():
            dev.skip_waits(PUSH)
            return next((entry for entry in dev.dead_letters() if entry["data"] == b64(compact(payload))), None)
        entry = wait_until(dead_letter, 60, f"the message to be dead-lettered after {MAX_DELIVERY_ATTEMPTS} attempts",
                           interval=0.3)
        assert entry["subscription"] == KEEPER and entry["sourceSubscription"] == PUSH, entry
        assert entry["deliveryCount"] == MAX_DELIVERY_ATTEMPTS, entry
        message_id = entry["messageId"]

        browser.get(dev.console("/dead-letters"))
        row = browser.find_element(By.CSS_SELECTOR, f'tr.dead-letter[data-message-id="{message_id}"]')
        assert row.get_attribute("data-subscription") == KEEPER
        assert PUSH in row.find_element(By.CSS_SELECTOR, "td.source-subscription").text
        assert row.find_element(By.CSS_SELECTOR, "td.delivery-count").text == str(MAX_DELIVERY_ATTEMPTS)
        row.find_element(By.CSS_SELECTOR, "form.purge")
        browser.find_element(By.CSS_SELECTOR, "form#redrive-all")
        browser.find_element(By.CSS_SELECTOR, "form#purge-all")
        screenshot(browser, "dead-letters")

        set_faults_through_the_form(browser, dev, 0)
        assert dev.subscription(PUSH)["faults"] == {"failurePercent": 0, "latencyMs": 0}
        browser.get(dev.console("/dead-letters"))
        form = browser.find_element(By.CSS_SELECTOR, f'tr.dead-letter[data-message-id="{message_id}"] form.redrive')
        redrive_form = form.get_attribute("outerHTML")
        submit_expecting_notice(browser, form)
        assert not browser.find_elements(By.CSS_SELECTOR, f'tr.dead-letter[data-message-id="{message_id}"]')

        record = wait_until(lambda: dev.record_with_data(payload), WAIT_SECONDS, "the redriven message to be stored")
        assert record["attributes"].get("site") == "dead-letter-test", record
        leftovers = [key for key in record["attributes"] if key.startswith("CloudPubSubDeadLetterSource")]
        assert not leftovers, f"the redriven message still carries {leftovers}"

        # The same form again, as a stale page would send it: the page says why and changes nothing.
        browser.execute_script(
            "const holder = document.createElement('div'); holder.innerHTML = arguments[0];"
            "holder.firstElementChild.id = 'stale-redrive'; document.body.appendChild(holder);", redrive_form)
        kind, text = submit(browser, browser.find_element(By.ID, "stale-redrive"))
        assert kind == "error", f"redriving a redriven message shows #notice {text!r}, expected #error"

        status, body = http("POST", dev.console(f"/api/v1/dead-letters/{KEEPER}/{message_id}:redrive"))
        # Google maps FAILED_PRECONDITION to HTTP 400.
        assert status == 400, f"a second redrive answered {status}: {body.decode(errors='replace')}"
        google_error(body, 400, "FAILED_PRECONDITION")
    finally:
        dev.set_faults(PUSH, 0, 0)
        for leftover in dev.dead_letters():
            if leftover["data"] == b64(compact(payload)):
                dev.api("POST", f"/api/v1/dead-letters/{leftover['subscription']}/{leftover['messageId']}:purge")


# d. Who may change state.

def test_a_state_change_from_another_origin_or_host_is_refused_and_changes_nothing(dev):
    evil = {"Origin": "http://evil.example"}
    status, body = http("POST", dev.console("/api/v1/dead-letters:purgeAll"), b"", evil)
    assert status == 403, f"purgeAll from another origin answered {status}: {body[:200]!r}"
    google_error(body, 403)
    status, body = http("PUT", dev.console(f"/api/v1/subscriptions/{PUSH}/faults"),
                        {"failurePercent": 100, "latencyMs": 0}, evil)
    assert status == 403, f"PUT faults from another origin answered {status}: {body[:200]!r}"
    # A page on another port of the same machine is another origin.
    other_port = {"Origin": f"http://127.0.0.1:{dev.port}"}
    status, _ = http("PUT", dev.console(f"/api/v1/subscriptions/{PUSH}/faults"),
                     {"failurePercent": 100, "latencyMs": 0}, other_port)
    assert status == 403, f"PUT faults from the functions port's origin answered {status}"
    # DNS rebinding: a page whose name came to resolve to 127.0.0.1 sends its own name as the Host.
    status, _ = http("PUT", dev.console(f"/api/v1/subscriptions/{PUSH}/faults"),
                     {"failurePercent": 100, "latencyMs": 0}, {"Host": f"evil.example:{dev.console_port}"})
    assert status == 403, f"PUT faults with Host evil.example answered {status}"
    assert dev.subscription(PUSH)["faults"] == {"failurePercent": 0, "latencyMs": 0}

    # The console's own origin, and no origin at all, may.
    status, body = http("PUT", dev.console(f"/api/v1/subscriptions/{PUSH}/faults"),
                        {"failurePercent": 0, "latencyMs": 0}, {"Origin": dev.console_origin})
    assert status == 200, f"PUT faults from the console's own origin answered {status}: {body[:200]!r}"


def test_a_form_on_another_sites_page_cannot_set_faults_through_the_browser(dev, browser):
    browser.get(dev.console("/pubsub"))
    action = subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "form.faults").get_attribute("action")
    assert action.startswith(dev.console_origin + "/"), f"form.faults posts to {action!r}"
    page = (f'<!doctype html><title>Cute cats</title><form id="attack" method="post" action="{action}">'
            '<input name="failurePercent" value="100"><input name="latencyMs" value="0"></form>'
            '<script>document.getElementById("attack").submit()</script>').encode()
    served = []

    class AttackerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            served.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_):
            pass

    attacker = ThreadingHTTPServer(("127.0.0.1", 0), AttackerPage)
    thread = threading.Thread(target=attacker.serve_forever, daemon=True)
    thread.start()
    try:
        browser.get(f"http://127.0.0.1:{attacker.server_address[1]}/")
        wait(browser, lambda b: b.current_url.startswith(dev.console_origin), "the attacker's form to be submitted")
        assert served, "the attacker's page was never fetched"
        assert dev.subscription(PUSH)["faults"] == {"failurePercent": 0, "latencyMs": 0}
    finally:
        attacker.shutdown()
        attacker.server_close()
        thread.join(timeout=5)
        dev.set_faults(PUSH, 0, 0)


# e. Bad input.

def test_a_publish_form_with_a_malformed_attribute_line_shows_an_error_and_publishes_nothing(dev, browser):
    backlog_is_empty(dev)
    dev.pause(PUSH)
    try:
        invocations = dev.ingest_invocations()
        browser.get(dev.console("/pubsub"))
        form = browser.find_element(By.CSS_SELECTOR, "form#publish")
        Select(form.find_element(By.CSS_SELECTOR, "select[name=topic]")).select_by_value("events")
        form.find_element(By.CSS_SELECTOR, "textarea[name=data]").send_keys("never published")
        form.find_element(By.CSS_SELECTOR, "textarea[name=attributes]").send_keys("site=lab\nno-equals-sign")
        kind, text = submit(browser, form)
        assert kind == "error", f"a malformed attribute line shows #notice {text!r}, expected #error"
        assert "attribute" in text.lower() or "no-equals-sign" in text, f"#error does not say what is wrong: {text!r}"

        # The same submission without a browser: a 4xx page carrying #error.
        status, body = form_post(dev.console("/pubsub/publish"),
                                 {"topic": "events", "data": "never published", "attributes": "no-equals-sign",
                                  "orderingKey": ""})
        assert 400 <= status < 500, f"POST /pubsub/publish with a malformed attribute answered {status}"
        assert served_elements(body, id="error"), "the 4xx page carries no #error"

        assert dev.subscription(PUSH)["backlog"] == 0, "a refused publish still published"
        assert dev.console_json(f"/api/v1/subscriptions/{PUSH}/messages")["messages"] == []
        assert dev.ingest_invocations() == invocations
    finally:
        dev.resume(PUSH)


def test_the_api_answers_unknown_subscriptions_and_out_of_range_faults_with_googles_errors(dev, browser):
    status, body = http("GET", dev.console("/api/v1/subscriptions/nope/messages"))
    assert status == 404, f"peeking at an unknown subscription answered {status}"
    google_error(body, 404, "NOT_FOUND")

    status, body = http("PUT", dev.console(f"/api/v1/subscriptions/{PUSH}/faults"),
                        {"failurePercent": 150, "latencyMs": 0})
    assert status == 400, f"failurePercent 150 answered {status}"
    google_error(body, 400, "INVALID_ARGUMENT")

    browser.get(dev.console("/pubsub"))
    action = subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "form.faults").get_attribute("action")
    status, body = form_post(action, {"failurePercent": "150", "latencyMs": "0"})
    assert 400 <= status < 500, f"the faults form with failurePercent 150 answered {status}"
    assert served_elements(body, id="error"), "the 4xx page carries no #error"
    assert dev.subscription(PUSH)["faults"] == {"failurePercent": 0, "latencyMs": 0}


def test_the_pages_load_nothing_from_outside_the_console(dev, browser):
    for path in ("/", "/pubsub", f"/pubsub/subscriptions/{PUSH}/messages", "/dead-letters"):
        browser.get(dev.console(path))
        loaded = browser.execute_script("return performance.getEntriesByType('resource').map(entry => entry.name)")
        outside = [name for name in loaded if not name.startswith(dev.console_origin + "/")]
        assert not outside, f"{path} loaded {outside}"


# f. A large backlog, and many invocations. Last: it leaves ingest busy.

def test_a_backlog_of_ten_thousand_messages_pages_quickly_and_so_do_the_invocations_it_becomes(dev, browser):
    backlog_is_empty(dev)
    dev.pause(PUSH)
    try:
        for start in range(0, BULK_MESSAGES, BULK_BATCH):
            dev.publish([f"bulk-{n}" for n in range(start, start + BULK_BATCH)])
        assert dev.subscription(PUSH)["backlog"] == BULK_MESSAGES

        started = time.monotonic()
        browser.get(dev.console(f"/pubsub/subscriptions/{PUSH}/messages"))
        rows = browser.find_elements(By.CSS_SELECTOR, "table#messages tbody tr[data-message-id]")
        elapsed = time.monotonic() - started
        assert elapsed < RENDER_LIMIT_SECONDS, f"the peek page took {elapsed:.1f} s over a backlog of {BULK_MESSAGES}"
        assert 1 <= len(rows) <= PAGE_SIZE, f"the peek page shows {len(rows)} rows"
        assert [row.find_element(By.CSS_SELECTOR, "td.data").text for row in rows] == \
            [f"bulk-{n}" for n in range(len(rows))], "the peek page is not the oldest messages, oldest first"
        first_page = {row.get_attribute("data-message-id") for row in rows}
        browser.find_element(By.CSS_SELECTOR, "a#next").click()
        wait(browser, replaced(rows[0]), "the next page of the peek")
        second_page = row_ids(browser, "table#messages tbody tr[data-message-id]", "data-message-id")
        assert second_page and not first_page & set(second_page), "the next page repeats or lacks messages"

        started = time.monotonic()
        browser.get(dev.console("/pubsub"))
        backlog = subscription_row(browser, PUSH).find_element(By.CSS_SELECTOR, "td.backlog").text
        elapsed = time.monotonic() - started
        assert backlog == str(BULK_MESSAGES), f"td.backlog reads {backlog!r}, expected {BULK_MESSAGES}"
        assert elapsed < RENDER_LIMIT_SECONDS, f"/pubsub took {elapsed:.1f} s over a backlog of {BULK_MESSAGES}"
    finally:
        dev.resume(PUSH)

    # The backlog turns into invocations: more than a page of them, 50 a page, older ones a link away.
    wait_until(lambda: dev.ingest_invocations() > PAGE_SIZE + 10, 60, "more than a page of ingest invocations")
    status, body = http("GET", dev.console("/"))
    assert status == 200
    rendered = len(served_elements(body, "tr", **{"data-invocation-id": None}))
    assert rendered == PAGE_SIZE, f"/ renders {rendered} invocations, expected {PAGE_SIZE} a page"
    assert served_elements(body, "a", id="older"), "/ has no a#older with more than a page of invocations"
    browser.get(dev.console("/"))
    newest = set(row_ids(browser, "table#invocations tbody tr[data-invocation-id]", "data-invocation-id"))
    # The charts with the backlog's pushes in them make the screenshot of the functions page: a few seconds of them
    # when the machine gets there in time, at least a page of them in any case.
    wait(browser, lambda b: (chart_total(b, "ingest") or 0) > PAGE_SIZE, "ingest's chart to count the backlog's pushes")
    try:
        wait(browser, lambda b: (chart_total(b, "ingest") or 0) >= SCREENSHOT_INVOCATIONS, "a fuller chart", 20)
    except TimeoutException:
        pass
    screenshot(browser, "functions")
    older = browser.find_element(By.CSS_SELECTOR, "a#older")
    assert "before=" in older.get_attribute("href")
    older.click()
    wait(browser, replaced(older), "the page of older invocations")
    older_ids = row_ids(browser, "table#invocations tbody tr[data-invocation-id]", "data-invocation-id")
    assert older_ids and not newest & set(older_ids), "the older page repeats or lacks invocations"
