"""The reference app's two functions, written the way a typical user of Google's Python functions framework would.

`ingest` takes the Pub/Sub push envelope and answers 204 once its row is committed; `query` serves the same
routes and JSON shapes as Contrail's query API. The store is SQLite with the same durability as Contrail's: WAL,
and synchronous=FULL unless SQLITE_SYNCHRONOUS says otherwise (NORMAL, as Contrail's `?synchronous=normal`), one
connection per thread, one commit per delivery: no group commit, because that is not what a handler written
against this framework naturally does.
"""

import base64
import binascii
import calendar
import hashlib
import hmac
import json
import os
import re
import secrets
import sqlite3
import threading
import time

import flask
import functions_framework

DATABASE = os.environ.get("DATABASE_PATH", "peer.sqlite")
SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").upper()
if SYNCHRONOUS not in ("FULL", "NORMAL"):
    raise SystemExit(f"SQLITE_SYNCHRONOUS must be FULL or NORMAL, not {SYNCHRONOUS!r}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    subscription TEXT NOT NULL,
    message_id TEXT NOT NULL,
    topic TEXT,
    publish_time INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    ordering_key TEXT,
    delivery_attempt INTEGER,
    attributes TEXT NOT NULL,
    data BLOB NOT NULL,
    data_json TEXT,
    PRIMARY KEY (subscription, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_time ON records (publish_time DESC, message_id DESC, subscription DESC);
CREATE INDEX IF NOT EXISTS records_by_message_id ON records (message_id);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value BLOB NOT NULL);
"""

_local = threading.local()
_secret = None


def connection() -> sqlite3.Connection:
    db = getattr(_local, "db", None)
    if db is None:
        db = sqlite3.connect(DATABASE, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        db.row_factory = sqlite3.Row
        _local.db = db
    return db


def migrate():
    db = connection()
    db.executescript(SCHEMA)
    db.execute("INSERT OR IGNORE INTO settings (name, value) VALUES ('cursor_secret', ?)", (secrets.token_bytes(32),))


def cursor_secret() -> bytes:
    global _secret
    if _secret is None:
        _secret = connection().execute("SELECT value FROM settings WHERE name = 'cursor_secret'").fetchone()[0]
    return _secret


# --- time ---------------------------------------------------------------------------------------------------------

_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")


def parse_time(text):
    match = _RFC3339.match(text or "")
    if not match:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if not (year >= 1 and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and hour < 24 and minute < 60
            and second <= 60):
        return None
    seconds = calendar.timegm((year, month, day, hour, minute, min(second, 59), 0, 0, 0))
    fraction = int((match.group(7) or "0")[:6].ljust(6, "0"))
    if match.group(9):
        offset = int(match.group(10)) * 3600 + int(match.group(11)) * 60
        seconds -= offset if match.group(9) == "+" else -offset
    return seconds * 1_000_000 + fraction


def format_time(micros: int) -> str:
    seconds, fraction = divmod(micros, 1_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return text + (f".{fraction:06d}Z" if fraction else "Z")


def now_micros() -> int:
    return time.time_ns() // 1000


# --- ingest -------------------------------------------------------------------------------------------------------

@functions_framework.http
def ingest(request: flask.Request):
    if request.method != "POST":
        return error(405, "METHOD_NOT_ALLOWED", "POST only")
    envelope = request.get_json(silent=True)
    if not isinstance(envelope, dict) or not isinstance(envelope.get("message"), dict):
        return error(400, "INVALID_ARGUMENT", "not a Pub/Sub push envelope")
    message = envelope["message"]
    message_id = message.get("messageId") or message.get("message_id")
    if not message_id:
        return error(400, "INVALID_ARGUMENT", "the message has no messageId")
    try:
        data = base64.b64decode(message.get("data") or "", validate=True)
    except binascii.Error:
        return error(400, "INVALID_ARGUMENT", "message.data is not base64")
    received = now_micros()
    publish_time = parse_time(message.get("publishTime") or message.get("publish_time")) or received
    attributes = message.get("attributes") or {}
    try:
        data_json = data.decode("utf-8")
        json.loads(data_json)
    except ValueError:
        data_json = None
    connection().execute(
        "INSERT INTO records (subscription, message_id, topic, publish_time, received_at, ordering_key,"
        " delivery_attempt, attributes, data, data_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (subscription, message_id) DO NOTHING",
        (envelope.get("subscription") or "", message_id, None, publish_time, received,
         message.get("orderingKey") or message.get("ordering_key"), envelope.get("deliveryAttempt"),
         json.dumps(attributes, sort_keys=True, separators=(",", ":")), data, data_json),
    )
    # Autocommit mode: the INSERT above has been committed here (and, with synchronous=FULL, fsynced; with NORMAL,
    # it reaches the disk at the next checkpoint).
    return "", 204


# --- query --------------------------------------------------------------------------------------------------------

class BadRequest(Exception):
    pass


def error(code: int, status: str, message: str):
    return flask.jsonify({"error": {"code": code, "status": status, "message": message}}), code


def record_json(row) -> dict:
    record = {"messageId": row["message_id"], "subscription": row["subscription"]}
    if row["topic"] is not None:
        record["topic"] = row["topic"]
    record["publishTime"] = format_time(row["publish_time"])
    record["receivedAt"] = format_time(row["received_at"])
    record["attributes"] = json.loads(row["attributes"])
    if row["ordering_key"] is not None:
        record["orderingKey"] = row["ordering_key"]
    if row["delivery_attempt"] is not None:
        record["deliveryAttempt"] = row["delivery_attempt"]
    if row["data_json"] is not None:
        record["data"] = json.loads(row["data_json"])
    record["dataBase64"] = base64.b64encode(row["data"]).decode()
    return record


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def filter_digest(where_args) -> str:
    return b64url(hashlib.sha256(json.dumps(where_args, sort_keys=True).encode()).digest()[:12])


def seal(row, digest: str) -> str:
    payload = json.dumps({"t": row["publish_time"], "m": row["message_id"], "s": row["subscription"], "f": digest},
                         separators=(",", ":")).encode()
    return b64url(payload) + "." + b64url(hmac.new(cursor_secret(), payload, hashlib.sha256).digest())


def open_cursor(cursor: str, digest: str):
    try:
        payload_text, mac_text = cursor.split(".")
        payload, mac = unb64url(payload_text), unb64url(mac_text)
        if not hmac.compare_digest(mac, hmac.new(cursor_secret(), payload, hashlib.sha256).digest()):
            raise ValueError
        position = json.loads(payload)
    except (ValueError, binascii.Error):
        raise BadRequest("parameter 'cursor' was altered or was not issued by this service")
    if position.get("f") != digest:
        raise BadRequest("parameter 'cursor' belongs to a query with other filters")
    return position["t"], position["m"], position["s"]


def filters(args, allowed):
    conditions, arguments, seen = [], [], {}
    for name in args.keys():
        values = args.getlist(name)
        if name.startswith("attributes.") and "attributes" in allowed:
            key = name[len("attributes."):]
            if not key:
                raise BadRequest(f"parameter '{name}' needs an attribute key")
            for value in values:
                conditions.append("json_extract(attributes, '$.' || json_quote(?)) = ?")
                arguments += [key, value]
            continue
        if name not in allowed:
            raise BadRequest(f"unknown parameter '{name}'")
        if len(values) > 1:
            raise BadRequest(f"parameter '{name}' is given more than once")
        seen[name] = values[0]
    for name, column, operator in (("from", "publish_time", ">="), ("to", "publish_time", "<")):
        if name in seen:
            instant = parse_time(seen[name])
            if instant is None:
                raise BadRequest(f"parameter '{name}' must be an RFC 3339 time")
            conditions.append(f"{column} {operator} ?")
            arguments.append(instant)
    for name, column in (("orderingKey", "ordering_key"), ("subscription", "subscription")):
        if name in seen:
            conditions.append(f"{column} = ?")
            arguments.append(seen[name])
    return conditions, arguments, seen


def list_records(args):
    conditions, arguments, seen = filters(
        args, {"limit", "cursor", "from", "to", "orderingKey", "subscription", "attributes"})
    try:
        limit = int(seen.get("limit", "100"))
        if not 1 <= limit <= 1000:
            raise ValueError
    except ValueError:
        raise BadRequest("parameter 'limit' must be a whole number from 1 to 1000")
    digest = filter_digest([conditions, arguments])
    if "cursor" in seen:
        conditions.append("(publish_time, message_id, subscription) < (?, ?, ?)")
        arguments += list(open_cursor(seen["cursor"], digest))
    sql = "SELECT * FROM records" + (" WHERE " + " AND ".join(conditions) if conditions else "")
    sql += " ORDER BY publish_time DESC, message_id DESC, subscription DESC LIMIT ?"
    rows = connection().execute(sql, arguments + [limit + 1]).fetchall()
    page = {"records": [record_json(row) for row in rows[:limit]]}
    if len(rows) > limit:
        page["nextCursor"] = seal(rows[limit - 1], digest)
    return page


def one_record(message_id, args):
    conditions, arguments, _ = filters(args, {"subscription"})
    sql = "SELECT * FROM records WHERE " + " AND ".join(["message_id = ?"] + conditions)
    row = connection().execute(sql + " ORDER BY publish_time DESC, subscription DESC LIMIT 1",
                               [message_id] + arguments).fetchone()
    if row is None:
        return None
    return record_json(row)


BUCKETS = {"minute": 60_000_000, "hour": 3_600_000_000, "day": 86_400_000_000}


def stats(args):
    conditions, arguments, seen = filters(
        args, {"from", "to", "orderingKey", "subscription", "bucket", "groupBy", "attributes"})
    width = BUCKETS.get(seen.get("bucket", "hour"))
    if width is None:
        raise BadRequest("parameter 'bucket' must be minute, hour or day")
    group_by = seen.get("groupBy")
    if group_by is not None and (not group_by.startswith("attributes.") or len(group_by) == len("attributes.")):
        raise BadRequest("parameter 'groupBy' must name an attribute as attributes.<key>")
    group = "json_extract(attributes, '$.' || json_quote(?))" if group_by else "NULL"
    sql = (f"SELECT (publish_time / {width}) * {width} AS bucket, {group} AS grp, COUNT(*) AS n FROM records"
           + (" WHERE " + " AND ".join(conditions) if conditions else "") + " GROUP BY bucket, grp ORDER BY bucket, grp")
    rows = connection().execute(sql, ([group_by[len("attributes."):]] if group_by else []) + arguments).fetchall()
    buckets = []
    for row in rows:
        if not buckets or buckets[-1]["_start"] != row["bucket"]:
            buckets.append({"_start": row["bucket"], "start": format_time(row["bucket"]), "count": 0})
            if group_by:
                buckets[-1]["groups"] = {}
        buckets[-1]["count"] += row["n"]
        if group_by and row["grp"] is not None:
            buckets[-1]["groups"][str(row["grp"])] = row["n"]
    for bucket in buckets:
        del bucket["_start"]
    return {"total": sum(row["n"] for row in rows), "buckets": buckets}


@functions_framework.http
def query(request: flask.Request):
    if request.method not in ("GET", "HEAD"):
        return error(405, "METHOD_NOT_ALLOWED", "the query API accepts GET only")
    segments = [part for part in request.path.split("/") if part]
    try:
        if segments == ["records"]:
            return flask.jsonify(list_records(request.args))
        if len(segments) == 2 and segments[0] == "records":
            record = one_record(segments[1], request.args)
            if record is None:
                return error(404, "NOT_FOUND", f"no record with messageId '{segments[1]}'")
            return flask.jsonify(record)
        if segments == ["stats"]:
            return flask.jsonify(stats(request.args))
    except BadRequest as problem:
        return error(400, "INVALID_ARGUMENT", str(problem))
    return error(404, "NOT_FOUND", f"no route {request.path}")


migrate()
