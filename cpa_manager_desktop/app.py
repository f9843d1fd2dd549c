"""Composition root: builds every object from Settings. Building opens no socket and starts no thread."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from cpa_manager_desktop import paths
from cpa_manager_desktop.analytics.service import AnalyticsService
from cpa_manager_desktop.collector.consumer import Collector, CollectorOptions
from cpa_manager_desktop.collector.health import check_cpa
from cpa_manager_desktop.collector.source import QueueSource
from cpa_manager_desktop.config import Settings
from cpa_manager_desktop.cpa.api import CpaApi, HttpQueueSource, make_pool
from cpa_manager_desktop.cpa.resp import RespQueueSource
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.desktop import autostart, system
from cpa_manager_desktop.desktop.actions import Autostart, DesktopActions
from cpa_manager_desktop.logs import SECRETS
from cpa_manager_desktop.prices.service import PriceService
from cpa_manager_desktop.service.controller import Controller
from cpa_manager_desktop.service.usage import UsageService
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.settings import SettingsStore
from cpa_manager_desktop.web import (
    analytics_routes,
    api,
    desktop_routes,
    price_routes,
    proxy,
    routes,
    usage_routes,
)
from cpa_manager_desktop.web.security import SecurityMiddleware, SecurityPolicy
from cpa_manager_desktop.web.server import HttpServer

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    controller: Controller
    collector: Collector
    server: HttpServer
    desktop: DesktopActions | None = None
    quit_requested: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        host = self.settings.http_addr.host
        host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Bind (a busy port is fatal), serve, then start collecting."""
        self.server.bind()
        self.server.start()
        log.info("serving url=%s/management.html", self.base_url)
        if self.desktop is not None:
            self.desktop.panel_url = f"{self.base_url}/management.html"
        self.controller.start()

    def stop(self) -> None:
        """Reverse order: stop accepting requests, commit and stop the collector, close the store.
        Idempotent. A failing step is logged and the rest still run: the collector's batch must be
        committed and the store closed even if the web server's shutdown broke."""
        try:
            self.server.stop()
        except Exception:
            log.exception("web server shutdown failed; stopping the collector anyway")
        try:
            if not self.collector.stop(timeout_s=15.0):
                log.error("collector did not stop within 15 s")
        finally:
            self.db.close()


def build_app(settings: Settings, *, desktop_shell: bool = False) -> App:
    paths.make_private_dir(settings.data_dir)
    db = Database(settings.db_path)
    events = EventStore(db)
    # Shared by the collector and the proxy, whose streamed replies each hold a connection for their duration.
    pool = make_pool(tls_skip_verify=settings.tls_skip_verify, maxsize=8)

    def make_api(upstream: Upstream) -> CpaApi:
        SECRETS.add_secret(upstream.management_key)
        return CpaApi(upstream, pool)

    def make_source(transport: str, upstream: Upstream) -> QueueSource:
        if transport == "resp":
            SECRETS.add_secret(upstream.management_key)
            return RespQueueSource(upstream, tls_skip_verify=settings.tls_skip_verify)
        return HttpQueueSource(make_api(upstream))

    poll_interval_s = settings.poll_interval_ms / 1000
    collector = Collector(
        sink=events.add_batch,
        make_source=make_source,
        health_check=lambda upstream: check_cpa(make_api(upstream), poll_interval_s),
        options=CollectorOptions(mode=settings.collector_mode, batch_size=settings.batch_size,
                                 poll_interval_s=poll_interval_s),
        # Late-bound: the controller is built next and owns the record of rejected keys.
        on_auth_rejected=lambda upstream, error: controller.collector_rejected_key(upstream, error),
    )
    controller = Controller(settings, db, events, SettingsStore(db), collector, make_api)
    web_app = api.build_bottle(lambda: controller.is_configured, controller.check_key)
    routes.register(web_app, controller, settings.panel_path or paths.resource_path("management.html"))
    usage = UsageService(db, events, settings.query_limit)
    usage_routes.register(web_app, usage)
    price_store = PriceStore(db)
    # Its own pool: USAGE_RESP_TLS_SKIP_VERIFY is about CPA and must never weaken the price download.
    price_pool = make_pool(tls_skip_verify=False, maxsize=1)
    price_routes.register(web_app, PriceService(price_store, price_pool, settings.litellm_prices_url))
    analytics = AnalyticsService(db, price_store)
    analytics_routes.register(web_app, analytics)
    quit_requested = threading.Event()
    desktop = None
    if desktop_shell:
        desktop = DesktopActions(
            controller, usage, analytics, panel_url="",
            data_dir=settings.data_dir, downloads=system.downloads_dir, autostart=_autostart(),
            open_url=system.open_url, open_folder=system.open_folder, request_quit=quit_requested.set)
        desktop_routes.register(web_app, desktop)
    # Last, so every route above wins over the catch-all.
    proxy.register(web_app, controller.current_upstream, pool)
    policy = SecurityPolicy(
        port_of=lambda: server.port,
        check_host=settings.http_addr.is_loopback,
        allowed_hosts=frozenset(settings.allowed_hosts),
        cors_origins=settings.cors_origins,
        key_is_valid=controller.check_key,
    )
    server = HttpServer(SecurityMiddleware(web_app, policy), settings.http_addr.host, settings.http_addr.port)
    return App(settings=settings, db=db, controller=controller, collector=collector, server=server,
               desktop=desktop, quit_requested=quit_requested)


def _autostart() -> Autostart | None:
    try:
        return autostart.for_this_platform()
    except Exception as exc:  # an unsupported platform just hides the menu item
        log.info("start at login unavailable: %s", exc)
        return None
