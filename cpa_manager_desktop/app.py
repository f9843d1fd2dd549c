"""Composition root: builds every object from Settings (the tray and its loop included) and owns the
order of start and stop. Building opens no socket, no display and starts no thread; nothing is
changed after construction. `main()` is the process around it, called by cli.py with parsed flags:
settings, logging, one instance per data folder, serve until quit, stop.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cpa_manager_desktop import __version__, paths
from cpa_manager_desktop.analytics.service import AnalyticsService
from cpa_manager_desktop.collector.consumer import Collector
from cpa_manager_desktop.collector.credentials import CredentialSnapshots
from cpa_manager_desktop.collector.health import check_cpa, check_publishing
from cpa_manager_desktop.collector.source import QueueSource
from cpa_manager_desktop.collector.status import CollectorOptions, CollectorState
from cpa_manager_desktop.config import Overrides, Settings, load_settings
from cpa_manager_desktop.cpa.api import CpaApi, HttpQueueSource, make_pool
from cpa_manager_desktop.cpa.errors import AuthRejected
from cpa_manager_desktop.cpa.resp import RespQueueSource
from cpa_manager_desktop.cpa.upstream import Upstream
from cpa_manager_desktop.desktop import autostart, system
from cpa_manager_desktop.desktop.loop import DesktopLoop
from cpa_manager_desktop.desktop.tray import TrayIcon, TrayUnavailable, load_pystray, show_startup_error
from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.instance import InstanceLock
from cpa_manager_desktop.logs import LOG_FILE_NAME, SECRETS, install_excepthooks, setup_logging
from cpa_manager_desktop.prices.service import PriceService
from cpa_manager_desktop.quota.inspection import InspectionRunner
from cpa_manager_desktop.quota.inspection_actions import InspectionExecutor
from cpa_manager_desktop.quota.inspection_source import CpaInspectionSource
from cpa_manager_desktop.quota.source import CpaQuotaSource
from cpa_manager_desktop.quota.worker import QuotaCollector
from cpa_manager_desktop.redact import mask_raw_payload
from cpa_manager_desktop.service.controller import Controller
from cpa_manager_desktop.service.desktop import Autostart, DesktopActions, log_notifier
from cpa_manager_desktop.service.glance import Watcher
from cpa_manager_desktop.service.inspection import InspectionService
from cpa_manager_desktop.service.logtail import LogTail
from cpa_manager_desktop.service.maintenance import Maintenance
from cpa_manager_desktop.service.quota import QuotaService
from cpa_manager_desktop.service.quota_feed import QuotaFeed
from cpa_manager_desktop.service.quota_glance import QuotaGlance
from cpa_manager_desktop.service.quota_notices import QuotaNotices
from cpa_manager_desktop.service.quota_notify_settings import QuotaNotifySettings
from cpa_manager_desktop.service.quota_usage import QuotaUsage
from cpa_manager_desktop.service.usage import UsageService
from cpa_manager_desktop.store.alerts import AlertStore
from cpa_manager_desktop.store.budgets import BudgetStore
from cpa_manager_desktop.store.coverage import CoverageStore
from cpa_manager_desktop.store.credentials import CredentialStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.events import EventStore
from cpa_manager_desktop.store.inspection import InspectionStore
from cpa_manager_desktop.store.journal import RawJournal
from cpa_manager_desktop.store.prices import PriceStore
from cpa_manager_desktop.store.quota import QuotaStore, SnapshotRow
from cpa_manager_desktop.store.settings import SettingsStore
from cpa_manager_desktop.watch.alerts import AlertWatch
from cpa_manager_desktop.watch.alerts_figures import UsageFigures
from cpa_manager_desktop.watch.alerts_settings import AlertSettingsStore
from cpa_manager_desktop.watch.budgets import BudgetService
from cpa_manager_desktop.watch.budgets_period import SystemZone
from cpa_manager_desktop.watch.budgets_watch import BudgetWatch
from cpa_manager_desktop.watch.coverage import CoverageLedger
from cpa_manager_desktop.watch.retention import RetentionTicker
from cpa_manager_desktop.watch.runner import Ticker, WatchRunner
from cpa_manager_desktop.web import (
    alert_routes,
    analytics_routes,
    api,
    budget_routes,
    coverage_routes,
    desktop_routes,
    inspection_routes,
    log_routes,
    maintenance_routes,
    price_routes,
    proxy,
    quota_notice_routes,
    quota_routes,
    routes,
    usage_routes,
)
from cpa_manager_desktop.web.security import SecurityMiddleware, SecurityPolicy
from cpa_manager_desktop.web.server import HttpServer

SourceT = TypeVar("SourceT", CpaQuotaSource, CpaInspectionSource)
log = logging.getLogger("cpa_manager_desktop")
EXIT_CONFIG = 2
EXIT_START = 1
SHUTDOWN_WATCHDOG_S = 20.0
TRAY_STOP_GRACE_S = 3.0
STARTUP_ERROR_SHOWN_S = 600.0
COLLECTOR_STOP_S = 15.0
WATCH_STOP_S = 10.0
QUOTA_STOP_S = 10.0  # an api-call in flight may take CPA's full upstream timeout; the rest is abandoned
INSPECTION_STOP_S = 10.0  # calls in flight finish within the run's timeout; a longer one is abandoned
# The owner may be between taking the lock and answering /health (it is starting right now).
HAND_OVER_WAIT_S = 5.0


@dataclass
class App:
    settings: Settings
    db: Database
    controller: Controller
    collector: Collector
    server: HttpServer
    desktop: DesktopActions | None = None
    tray: TrayIcon | None = None
    desktop_loop: DesktopLoop | None = None
    quit_requested: threading.Event = field(default_factory=threading.Event)
    journal: RawJournal | None = None
    quota: QuotaCollector | None = None
    credential_names: CredentialSnapshots | None = None
    watch: WatchRunner | None = None
    # What the tray asks for lines, a tint and notices (the loop holds them too; tests build their own loop).
    watchers: tuple[Watcher, ...] = ()
    inspection: InspectionRunner | None = None
    coverage: CoverageLedger | None = None
    # Set once the tray's stop has been asked for: stop() runs after the quit path already did it, and a
    # second desktop-loop join would wait its full timeout again behind a redraw stuck in X.
    tray_stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def base_url(self) -> str:
        return local_url(self.settings, self.port)

    def start(self) -> None:
        """Bind (a busy port is fatal), serve, then start collecting."""
        self.server.bind()
        self.server.start()
        log.info("serving url=%s/management.html", self.base_url)
        # What a crash left between a pop and its commit goes in before anything new is popped.
        self.collector.replay_journal()
        self.controller.start()
        if self.quota is not None:
            self.quota.start()
        if self.watch is not None:
            self.watch.start()
        if self.inspection is not None:
            self.inspection.start()

    def run_until_quit(self) -> None:
        """Block until quit is requested. The tray, when there is one, owns the main thread meanwhile;
        a tray that ends early leaves the app running headless."""
        if self.tray is not None:
            self._run_tray()
        # A timeout, because an untimed wait cannot be interrupted by Ctrl+C on Windows (cpython #80116).
        while not self.quit_requested.wait(0.5):
            pass

    def stop(self) -> None:
        """The one shutdown path: tray → web server → collector → store. Idempotent. A failing step is
        logged and the rest still run: the collector's batch must be committed and the store closed
        even if the web server's shutdown broke."""
        self._stop_tray()
        try:
            self.server.stop()
        except Exception:
            log.exception("web server shutdown failed; stopping the collector anyway")
        if self.watch is not None and not self.watch.stop(timeout_s=WATCH_STOP_S):
            log.error("the watch thread did not stop within %.0f s", WATCH_STOP_S)
        if self.quota is not None and not self.quota.stop(timeout_s=QUOTA_STOP_S):
            log.error("quota collector did not stop within %.0f s", QUOTA_STOP_S)
        if self.inspection is not None and not self.inspection.stop(timeout_s=INSPECTION_STOP_S):
            log.error("the inspection run did not stop within %.0f s", INSPECTION_STOP_S)
        try:
            if not self.collector.stop(timeout_s=COLLECTOR_STOP_S):
                log.error("collector did not stop within %.0f s", COLLECTOR_STOP_S)
        finally:
            if self.credential_names is not None and not self.credential_names.stop():
                log.error("the credential-name read did not end; closing the store anyway")
            self._last_heartbeat()
            self.db.close()
            if self.journal is not None:
                self.journal.close()

    def _last_heartbeat(self) -> None:
        """Once the collector has stopped: the next start counts the time away from here."""
        if self.coverage is None:
            return
        try:
            self.coverage.close()
        except Exception:
            log.exception("could not write the coverage ledger's last heartbeat")

    def _stop_tray(self) -> None:
        if self.tray_stopping.is_set():
            return
        self.tray_stopping.set()
        if self.tray is not None:
            # icon.stop() from another thread sometimes never returns on xorg (pystray #94/#143): its own thread.
            threading.Thread(target=self.tray.stop, name="tray-stop", daemon=True).start()
        if self.desktop_loop is not None:
            self.desktop_loop.stop()

    def _run_tray(self) -> None:
        assert self.tray is not None and self.desktop_loop is not None
        tray_returned = threading.Event()

        def stop_tray_on_quit() -> None:
            self.quit_requested.wait()
            self._stop_tray()
            if tray_returned.wait(TRAY_STOP_GRACE_S):
                return
            log.warning("the tray loop did not end within %.0f s; shutting down without it", TRAY_STOP_GRACE_S)
            _start_watchdog()
            self.stop()
            log.info("stopped")
            logging.shutdown()
            os._exit(0)

        threading.Thread(target=stop_tray_on_quit, name="tray-quit", daemon=True).start()
        self.tray.run(on_ready=self.desktop_loop.start)
        tray_returned.set()
        self.desktop_loop.stop()
        if not self.quit_requested.is_set():
            log.warning("the tray icon ended unexpectedly; still running headless at %s", self.base_url)


def build_app(settings: Settings, *, desktop_shell: bool = False, pystray: Any = None) -> App:
    """Every object, wired. desktop_shell adds the desktop actions and their routes; a pystray module
    (loaded by the caller, see load_pystray) adds the tray icon and its loop as well."""
    paths.make_private_dir(settings.data_dir)
    db = Database(settings.db_path)
    events = EventStore(db)
    journal = RawJournal(settings.db_path.with_suffix(".journal"), mask=mask_raw_payload)
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
    # Late-bound like on_auth_rejected below: the controller that knows the upstream is built next.
    # upstream_for_proxy: a key CPA already rejected is never sent again (it raises; the read is skipped).
    credentials = CredentialSnapshots(lambda: _auth_files(controller.upstream_for_proxy(), make_api),
                                      CredentialStore(db))

    collector = Collector(
        sink=credentials.sink(events.add_batch),
        make_source=make_source,
        health_check=lambda upstream: check_cpa(make_api(upstream), poll_interval_s),
        publishing_check=lambda upstream: check_publishing(make_api(upstream)),
        options=CollectorOptions(mode=settings.collector_mode, batch_size=settings.batch_size,
                                 poll_interval_s=poll_interval_s),
        # Late-bound: the controller is built next and owns the record of rejected keys.
        on_auth_rejected=lambda upstream, error: controller.collector_rejected_key(upstream, error),
        journal=journal,
    )
    # One store of small saved values for every reader (setup, quota notices, retention, alert settings).
    saved = SettingsStore(db)
    controller = Controller(settings, db, events, saved, collector, make_api)
    web_app = api.build_bottle(lambda: controller.is_configured, controller.check_key)
    routes.register(web_app, controller, settings.panel_path or paths.resource_path("management.html"),
                    paths.resource_path("icon.png"))
    coverage_store = CoverageStore(db)
    usage = UsageService(db, events, settings.query_limit, coverage=coverage_store)
    usage_routes.register(web_app, usage)
    price_store = PriceStore(db)
    # Its own pool: USAGE_RESP_TLS_SKIP_VERIFY is about CPA and must never weaken the price download.
    price_pool = make_pool(tls_skip_verify=False, maxsize=1)
    price_routes.register(web_app, PriceService(price_store, price_pool, settings.litellm_prices_url))
    analytics = AnalyticsService(db, price_store, coverage=coverage_store)
    analytics_routes.register(web_app, analytics)
    coverage = CoverageLedger(coverage_store, controller)
    coverage_routes.register(web_app, coverage)
    log_routes.register(web_app, LogTail(settings.log_dir / LOG_FILE_NAME, SECRETS.redact))
    quota_store = QuotaStore(db)
    # The collector's sink, teed: the tray reads the latest readings from memory, not the store.
    quota_feed = QuotaFeed(quota_store)
    quota = _build_quota(settings, quota_store, quota_feed.record, controller, make_api)
    quota_routes.register(web_app, QuotaService(quota_store, quota, QuotaUsage(db, price_store)))
    quota_switches = QuotaNotifySettings(saved)
    quota_notice_routes.register(web_app, quota_switches)
    inspection, inspection_service = _build_inspection(db, controller, make_api)
    inspection_routes.register(web_app, inspection_service)
    # What the tray shows beside the collector (quota, budgets, alerts): each adds its lines, tint, notices.
    watchers: list[Watcher] = [QuotaGlance(
        quota_feed, QuotaNotices(quota_feed, quota_switches, saved, started_s=time.time()),
        lambda: [entry.credential for entry in quota.status().credentials])]
    maintenance = Maintenance(db, events, saved, price_store,
                              configured_days=settings.retention_days, configured=settings.retention_configured)
    maintenance_routes.register(web_app, maintenance)
    # What runs in the background with or without a tray (the coverage ledger, retention, budgets, alerts).
    tickers: list[Ticker] = [coverage, RetentionTicker(maintenance)]
    budgets = BudgetService(BudgetStore(db), analytics, zone=SystemZone())
    budget_routes.register(web_app, budgets)
    budget_watch = BudgetWatch(budgets)
    tickers.append(budget_watch)
    watchers.append(budget_watch)
    # The coverage ledger's new gaps become data-gap alerts.
    alerts = AlertWatch(AlertStore(db), AlertSettingsStore(saved), controller.collector_status,
                        UsageFigures(db, analytics), coverage)
    alert_routes.register(web_app, alerts)
    watchers.append(alerts)
    tickers.append(alerts)
    quit_requested = threading.Event()
    desktop = tray = loop = None
    if desktop_shell or pystray is not None:
        commands: queue.Queue[Any] = queue.Queue()
        tray = TrayIcon(pystray, post=commands.put) if pystray is not None else None
        desktop = DesktopActions(
            controller, usage, analytics,
            panel_url=lambda: f"{local_url(settings, server.port)}/management.html",
            data_dir=settings.data_dir, downloads=system.downloads_dir, autostart=_autostart(),
            open_url=system.open_url, open_folder=system.open_folder, request_quit=quit_requested.set,
            notify=tray.notify if tray is not None else log_notifier)
        desktop_routes.register(web_app, desktop)
        if tray is not None:
            loop = DesktopLoop(desktop, on_state=tray.show, notify=tray.notify, commands=commands,
                               watchers=watchers)
    # Last, so every route above wins over the catch-all.
    proxy.register(web_app, controller.upstream_for_proxy, pool)
    policy = SecurityPolicy(
        port_of=lambda: server.port,
        check_host=settings.http_addr.is_loopback,
        allowed_hosts=frozenset(settings.allowed_hosts),
        cors_origins=settings.cors_origins,
        key_is_valid=controller.check_key,
        is_configured=lambda: controller.is_configured,
    )
    server = HttpServer(SecurityMiddleware(web_app, policy), settings.http_addr.host, settings.http_addr.port)
    return App(settings=settings, db=db, controller=controller, collector=collector, server=server,
               desktop=desktop, tray=tray, desktop_loop=loop, quit_requested=quit_requested, journal=journal,
               quota=quota, credential_names=credentials, watch=WatchRunner(tickers), watchers=tuple(watchers),
               inspection=inspection, coverage=coverage)


def _build_quota(settings: Settings, store: QuotaStore, sink: Callable[[list[SnapshotRow]], int],
                 controller: Controller, make_api: Callable[[Upstream], CpaApi]) -> QuotaCollector:
    """The quota collector reads the same setup as the proxy, and only while the usage collector runs:
    that is, once CPA has accepted the key. A key not yet checked could otherwise cost a second failed
    login on CPA's ban counter (five ban the IP)."""
    source = _while_collecting(controller, make_api, CpaQuotaSource)
    return QuotaCollector(sink, source, interval_s=settings.quota_interval_s, prune=store.prune,
                          on_auth_rejected=_rejected_key(controller))


def _build_inspection(db: Database, controller: Controller, make_api: Callable[[Upstream], CpaApi],
                      ) -> tuple[InspectionRunner, InspectionService]:
    """Codex inspection talks to CPA under the same condition as the quota collector: the usage collector
    runs, so CPA has accepted the key."""
    store = InspectionStore(db)
    source = _while_collecting(controller, make_api, CpaInspectionSource)
    rejected = _rejected_key(controller)
    runner = InspectionRunner(store, source, on_auth_rejected=rejected)
    executor = InspectionExecutor(store, source, is_running=runner.is_running, on_auth_rejected=rejected)
    return runner, InspectionService(store, runner, executor)


def _while_collecting(controller: Controller, make_api: Callable[[Upstream], CpaApi],
                      make: Callable[[CpaApi], SourceT]) -> Callable[[], SourceT | None]:
    """A source for quota and inspection reads, only while the usage collector runs: CPA has accepted the
    key, so a read never risks another failed login on CPA's ban counter."""

    def source() -> SourceT | None:
        upstream = controller.upstream_for_proxy()
        if upstream is None or controller.collector_status().state != CollectorState.RUNNING:
            return None
        return make(make_api(upstream))

    return source


def _rejected_key(controller: Controller) -> Callable[[AuthRejected], None]:
    """A key CPA rejected during a quota or inspection read is recorded like one the collector saw."""

    def rejected(error: AuthRejected) -> None:
        upstream = controller.current_upstream()
        if upstream is not None:
            controller.collector_rejected_key(upstream, error)

    return rejected


def _auth_files(upstream: Upstream | None, make_api: Callable[[Upstream], CpaApi]) -> Any:
    return make_api(upstream).get_json("/auth-files", timeout_s=5.0) if upstream is not None else None


def local_url(settings: Settings, port: int) -> str:
    """The URL this machine reaches the server at (a wildcard bind is reached on loopback)."""
    host = settings.http_addr.host
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{host}:{port}"


def _autostart() -> Autostart | None:
    try:
        return autostart.for_this_platform()
    except Exception as exc:  # an unsupported platform just hides the menu item
        log.info("start at login unavailable: %s", exc)
        return None


# ---- the process: what cli.py calls once the flags are parsed ----

@dataclass(frozen=True)
class LaunchOptions:
    config_path: str | None = None
    data_dir: str | None = None
    http_addr: str | None = None
    want_tray: bool = True


def main(options: LaunchOptions) -> int:
    """Startup order: settings, logging, store, bind, serve, collect, then wait for a quit signal.
    Every failure before serving ends with one plain line and a non-zero exit code."""
    setup_logging(None)
    try:
        settings = load_settings(Overrides(config_path=options.config_path, data_dir=options.data_dir,
                                           http_addr=options.http_addr))
        paths.make_private_dir(settings.data_dir)
    except AppError as exc:
        return _fail(exc.message, EXIT_CONFIG)
    except OSError as exc:
        return _fail(f"Cannot create the data folder: {exc.strerror or exc}", EXIT_CONFIG)
    log_file = setup_logging(settings.log_dir, settings.log_level)
    install_excepthooks()
    log.info("cpa-manager %s starting pid=%d", __version__, os.getpid())
    log.info("paths config=%s database=%s logs=%s portable=%s",
             settings.config_path, settings.db_path, log_file or "(stderr only)", settings.is_portable)
    for warning in settings.warnings:
        log.warning("%s", warning)
    lock = InstanceLock(settings.data_dir)
    if not lock.acquire():
        return _hand_over(lock, open_browser=options.want_tray)
    try:
        return _serve(settings, lock, want_tray=options.want_tray)
    finally:
        lock.release()


def _serve(settings: Settings, lock: InstanceLock, *, want_tray: bool) -> int:
    pystray = _load_tray() if want_tray else None
    try:
        app = build_app(settings, pystray=pystray)
    except AppError as exc:
        return _fail(exc.message, EXIT_START)
    _install_signal_handlers(app.quit_requested)
    try:
        app.start()
    except AppError as exc:
        app.stop()
        _fail(exc.message, EXIT_START)
        if pystray is not None:
            show_startup_error(pystray, exc.message, app.quit_requested, shown_s=STARTUP_ERROR_SHOWN_S,
                               grace_s=TRAY_STOP_GRACE_S, exit_code=EXIT_START)
        return EXIT_START
    lock.publish(app.base_url)
    app.run_until_quit()
    log.info("shutting down")
    _start_watchdog()
    app.stop()
    log.info("stopped")
    return 0


def _fail(message: str, code: int) -> int:
    """Log the reason once; before logging is set up it goes to stderr instead."""
    log.error("%s", message)
    if not logging.getLogger().handlers and sys.stderr is not None:
        sys.stderr.write(f"cpa-manager: {message}\n")
    return code


def _hand_over(lock: InstanceLock, *, open_browser: bool) -> int:
    """Another process owns this data folder: show its panel instead of starting a second collector."""
    url = lock.running_url(wait_s=HAND_OVER_WAIT_S)
    if url is None:
        return _fail("Another CPA Manager process holds this data folder but does not answer; "
                     "stop it or use another --data-dir", EXIT_START)
    log.info("already running at %s; not starting a second instance", url)
    if open_browser:
        system.open_url(f"{url}/management.html")
    return 0


def _load_tray() -> Any:
    try:
        return load_pystray()
    except TrayUnavailable as exc:
        log.info("no tray icon (%s); running headless", exc)
        return None


def _install_signal_handlers(quit_event: threading.Event) -> None:
    def request_quit(signum: int, _frame: object) -> None:
        log.info("signal %s received", signal.Signals(signum).name)
        quit_event.set()

    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, request_quit)


def _start_watchdog() -> None:
    """Exit anyway if an orderly shutdown hangs (a stuck socket, a wedged thread)."""

    def bite() -> None:
        log.error("shutdown took longer than %.0f s; exiting", SHUTDOWN_WATCHDOG_S)
        logging.shutdown()
        os._exit(EXIT_START)

    timer = threading.Timer(SHUTDOWN_WATCHDOG_S, bite)
    timer.daemon = True
    timer.start()
