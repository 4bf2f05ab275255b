"""Reads the repository's Dockerfile into stages of (instruction, arguments), as the container test needs it."""

import json
import pathlib
import re
import shlex
from dataclasses import dataclass, field


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, instruction: str) -> list[str]:
        return [arguments for name, arguments in self.instructions if name == instruction]

    def apt_packages(self) -> list[str]:
        """Every package an `apt-get install` of this stage names."""
        packages = []
        for command in self.arguments("RUN"):
            for part in re.split(r"&&|;|\|\|", command):
                words = shlex.split(part)
                if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
                    after = words[words.index("install") + 1:]
                    packages += [word.split("=")[0] for word in after if not word.startswith("-")]
        return packages

    def environment(self) -> dict[str, str]:
        variables = {}
        for arguments in self.arguments("ENV"):
            for word in shlex.split(arguments):
                name, _, value = word.partition("=")
                variables[name] = value
        return variables

    def entrypoint(self) -> list[str]:
        (arguments,) = self.arguments("ENTRYPOINT")[-1:] or [None]
        assert arguments is not None, "the runtime stage has no ENTRYPOINT"
        return json.loads(arguments)


def parse(path: pathlib.Path) -> list[Stage]:
    logical, pending = [], ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        logical.append(pending + stripped)
        pending = ""
    stages: list[Stage] = []
    for line in logical:
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            words = arguments.split()
            words = [word for word in words if not word.startswith("--")]
            stages.append(Stage(image=words[0], name=words[2] if len(words) > 2 else None))
        elif stages:
            stages[-1].instructions.append((instruction, " ".join(arguments.split())))
    return stages
