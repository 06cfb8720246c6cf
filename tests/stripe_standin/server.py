"""Run the stand-in's aiohttp app in a background thread, on 127.0.0.1 and a free port by default."""

from __future__ import annotations

import asyncio
import threading

from aiohttp import web

from tests.stripe_standin.app import configure


class StandinServer:
    """One stand-in per process (localstripe keeps its state in module globals)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None):
        self.host = host
        self.port = port
        self.public_url = public_url
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10) -> StandinServer:
        app = configure(public_url=self.public_url)
        self._thread = threading.Thread(
            target=self._serve, args=(app,), name="stripe-standin", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the Stripe stand-in did not start")
        if self._error is not None:
            raise RuntimeError("the Stripe stand-in did not start") from self._error
        return self

    def _serve(self, app: web.Application) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            runner = web.AppRunner(app, access_log=None, handle_signals=False)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, self.host, self.port)
            loop.run_until_complete(site.start())
            self._runner = runner
            sockets = site._server.sockets if site._server else ()  # type: ignore[union-attr]
            self.port = sockets[0].getsockname()[1]
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop = None
        self._thread = None
