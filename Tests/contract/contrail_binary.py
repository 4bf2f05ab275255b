"""Where the built contrail is, for every Python suite that runs it."""

import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def contrail_binary() -> str:
    explicit = os.environ.get("CONTRAIL_BINARY")
    if explicit:
        return explicit
    for candidate in sorted(ROOT.glob(".build/*/debug/contrail")) + [ROOT / ".build/debug/contrail"]:
        if candidate.is_file():
            return str(candidate)
    raise RuntimeError("build contrail first (swift build) or set CONTRAIL_BINARY")
