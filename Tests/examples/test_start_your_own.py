"""The README's "Start your own" section, followed to the letter: its Package.swift lines and main.swift go into a
package written to a temporary folder beside a `contrail` folder (this repository), `swift build` builds it,
`dev` runs it with the local Pub/Sub service, `publish` sends a message, and the function's log line must show
that the message reached it. The steps come from the README itself, so the README cannot drift from what works.
"""

import pathlib
import re
import tempfile

import pytest

from examples_support import Dev, swift

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"the README has no section '{title}'"
    return match.group(1)


def code_blocks(text: str, language: str) -> list:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def package_swift(lines: str) -> str:
    """The README gives the lines that matter; the rest is what `swift package init` would write around them."""
    body = "\n".join(line for line in lines.splitlines() if not line.startswith("//"))
    return ("// swift-tools-version:6.2\nimport PackageDescription\n\n"
            f'let package = Package(\n    name: "MyApp",\n    platforms: [.macOS(.v15)],\n{body}\n)\n')


@pytest.fixture(scope="module")
def built_app():
    start = section("Start your own")
    blocks = code_blocks(start, "swift")
    assert len(blocks) == 2, "expected the Package.swift lines and main.swift"
    with tempfile.TemporaryDirectory() as directory:
        folder = pathlib.Path(directory)
        (folder / "contrail").symlink_to(ROOT)
        app = folder / "myapp"
        (app / "Sources/MyApp").mkdir(parents=True)
        (app / "Package.swift").write_text(package_swift(blocks[0]))
        (app / "Sources/MyApp/main.swift").write_text(blocks[1])
        swift("build", cwd=app)
        yield app, pathlib.Path(swift("build", "--show-bin-path", cwd=app).strip()) / "MyApp"


def test_a_message_published_as_the_readme_says_reaches_the_function(built_app):
    app, binary = built_app
    commands = code_blocks(section("Start your own"), "sh")[0]
    publish = next(line for line in commands.splitlines() if " publish " in line)
    words = publish.split("#")[0].split()
    # `swift run MyApp <args>` is the binary just built with those arguments; the ports are made free ones.
    dev = Dev(binary, app)
    try:
        message_id = dev.publish(words[words.index("MyApp") + 1:])
        dev.wait_for_delivery("greet", message_id, seconds=30)
    finally:
        dev.stop()
