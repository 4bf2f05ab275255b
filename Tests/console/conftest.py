"""One real `contrail dev` and one headless Chromium for the whole module, shared by every console test.

Each test puts back what it changed (faults at 0, subscriptions resumed), so they stay independent of each other
even though they share the process.
"""

import os
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from console_support import ConsoleDev

# Debian's packages (chromium, chromium-driver); elsewhere Selenium finds a browser and driver itself.
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The page area the screenshots show; the window around it is larger by the browser's own frame.
VIEWPORT = (1280, 900)
PAGE_LOAD_TIMEOUT_SECONDS = 30


@pytest.fixture(scope="module")
def dev():
    with tempfile.TemporaryDirectory() as directory:
        server = ConsoleDev(directory)
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}"):
        options.add_argument(argument)
    if os.path.exists(CHROMIUM):
        options.binary_location = CHROMIUM
    service = Service(CHROMEDRIVER) if os.path.exists(CHROMEDRIVER) else Service()
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT_SECONDS)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(2 * VIEWPORT[0] - inner[0], 2 * VIEWPORT[1] - inner[1])
        yield driver
    finally:
        driver.quit()
