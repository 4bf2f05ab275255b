"""Both functions behind one server, each mounted at /<name> like Contrail's `serve`.

On Cloud Run each would be its own service started by `functions-framework --target=<name>`; that command
builds exactly these apps (`create_app`) and hands them to gunicorn. Mounting both in one process keeps the
comparison to one server and one port, as with Contrail.
"""

import os

from functions_framework import create_app
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Response

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "main.py")

_mounted = DispatcherMiddleware(
    Response("not found", status=404),
    {"/ingest": create_app("ingest", SOURCE), "/query": create_app("query", SOURCE)},
)


def app(environ, start_response):
    # A POST to /ingest reaches the mounted app with an empty path, which Flask would answer with a redirect
    # to /ingest/; Pub/Sub does not follow redirects.
    if environ.get("PATH_INFO") in ("/ingest", "/query"):
        environ["SCRIPT_NAME"], environ["PATH_INFO"] = environ["PATH_INFO"], "/"
        return _mounted.mounts[environ["SCRIPT_NAME"]](environ, start_response)
    return _mounted(environ, start_response)
