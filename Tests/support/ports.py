"""Free ports for the programs the Python suites start, shared so that every suite probes them the same way."""

import socket


def free_port(*hosts: str) -> int:
    """A port free on every host given (127.0.0.1 by default), found by binding the first and probing the rest."""
    hosts = hosts or ("127.0.0.1",)
    for _ in range(50):
        with socket.socket(socket.AF_INET6 if ":" in hosts[0] else socket.AF_INET) as first:
            first.bind((hosts[0], 0))
            port = first.getsockname()[1]
            try:
                for host in hosts[1:]:
                    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as other:
                        other.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no port free on all of {hosts}")
