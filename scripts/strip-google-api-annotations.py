"""Removes the google.api imports and options from a .proto read on stdin, writing the rest to stdout.

The options steer Google's client generators (HTTP bindings, field behaviour, resource names); the messages,
fields and RPCs, which are all that the wire format and generated code need, stay exactly as written."""

import re
import sys


def skip_value(text: str, i: int) -> int:
    """The index just past an option value starting at `i`: a braced block, or strings and words up to `,` `;` `]`."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = text.index('"', i + 1) + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in ",;]":
            return i
        i += 1
    return i


def strip(text: str) -> str:
    text = re.sub(r'^import "google/api/[^"]+";\n', "", text, flags=re.M)
    out = []
    i = 0
    while i < len(text):
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.append(text[i:end])
            i = end
        elif text[i] == '"':
            end = text.index('"', i + 1) + 1
            out.append(text[i:end])
            i = end
        elif text.startswith("option (google.api.", i):
            # A statement: drop it through its `;` and the rest of its line if blank.
            i = skip_value(text, text.index("=", i) + 1) + 1
            while i < len(text) and text[i] in " \t":
                i += 1
            if i < len(text) and text[i] == "\n":
                i += 1
                while out and out[-1].endswith((" ", "\t")):
                    out[-1] = out[-1].rstrip(" \t")
        elif text[i] == "[":
            end = skip_bracket(text, i)
            kept = [o for o in split_options(text[i + 1:end]) if not o.strip().startswith("(google.api.")]
            if kept:
                out.append("[" + ", ".join(o.strip() for o in kept) + "]")
            else:
                while out and out[-1].endswith((" ", "\t", "\n")):
                    out[-1] = out[-1].rstrip(" \t\n")
                    if not out[-1]:
                        out.pop()
            i = end + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def skip_bracket(text: str, i: int) -> int:
    """The index of the `]` that closes the `[` at `i`."""
    i += 1
    while text[i] != "]":
        i = skip_value(text, i)
        if text[i] == ",":
            i += 1
    return i


def split_options(body: str) -> list:
    options, start, i = [], 0, 0
    while i < len(body):
        i = skip_value(body, i)
        options.append(body[start:i])
        i += 1
        start = i
    return [o for o in options if o.strip()]


if __name__ == "__main__":
    sys.stdout.write(strip(sys.stdin.read()))
