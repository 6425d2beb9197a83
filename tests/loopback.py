"""Servers and dead ends on 127.0.0.1 for tests, without racing for a port.

Asking the system for a free port, closing it and binding it again later leaves a
moment in which another process (a parallel test, another program) may take the port.
Here the socket that gets the port is the one that keeps it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Iterator
from typing import Any

from aiosmtpd.controller import Controller

STARTUP_TIMEOUT = 60.0
"""Only a guard against a server that never starts: on a loaded machine the default 1-5 s
of aiosmtpd is not enough, and how fast it starts is no part of any test."""


class LoopbackSMTP(Controller):  # type: ignore[misc]
    """aiosmtpd's threaded SMTP server on a port of 127.0.0.1 that it holds from the start."""

    def __init__(self, handler: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        port = self._socket.getsockname()[1]
        super().__init__(handler, hostname="127.0.0.1", port=port, ready_timeout=STARTUP_TIMEOUT)

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self.loop.create_server(self._factory_invoker, sock=self._socket)

    def _trigger_server(self) -> None:
        # aiosmtpd's own waits one second for the greeting, then gives up silently
        with socket.create_connection((self.hostname, self.port), STARTUP_TIMEOUT) as s:
            s.recv(1024)


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A port of 127.0.0.1 where a connection is refused for as long as the block runs.

    The port is bound but not listened on: nobody else can listen there meanwhile.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]
