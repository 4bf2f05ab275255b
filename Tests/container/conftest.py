"""The release binary, built and staged once per session as the image's build stage does."""

import shutil

import pytest

from container_support import stage_release_binary


@pytest.fixture(scope="session")
def staged():
    app = stage_release_binary()
    yield app
    shutil.rmtree(app, ignore_errors=True)
