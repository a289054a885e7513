"""Opening a station for the window: its data home (the demo's own), the photographer's sign-in and the
capture session with everything it owns. The window asks the questions; the rules are here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from station.camera import open_camera
from station.camera.backends import UsbSettings
from station.camera.tether import tether_folder
from station.chsi.profiles import load_profiles
from station.capture.camera_choice import saved_camera
from station.capture.session import CaptureSession, SessionListener
from station.storage.captures import CaptureStore
from station.context import Station
from station.adapters.demo import (
    DEMO_FRAMES, DemoServer, import_demo_references, prepare_demo, registrar_page,
)
from station.errors import StationError
from station.face.native_paths import check_mediapipe_folder
from station.i18n import Text
from station.identify.idcard_ocr import CardOcr
from station.identify.idcard_reader import ChipReader
from station.logs import log_to_file
from station.paths import start_home
from station.storage.station_key import (
    MISMATCH, PassphraseNeed, StationKey, passphrase_need, passphrase_problem, unlock_station_key,
)
from station.upload.uploader import Uploader

__all__ = ["PassphraseNeed", "Opened", "SignIn", "open_station", "sign_in_problem", "start_session"]
DEMO_OPERATOR = "演示摄影师"
NO_NAME = Text("请填写摄影师姓名：每张照片都会记录是谁拍的。", "Enter the photographer's name: it is recorded with every photo.")
NO_PASSPHRASE = Text("请输入工作站口令。", "Enter the station passphrase.")
log = logging.getLogger("station.app")


@dataclass
class Opened:
    """A station this process holds (its only window), the camera to open, and for the demo its operator and key."""

    station: Station
    camera: str
    demo: bool
    key: StationKey | None = None
    demo_server: DemoServer | None = None
    idcard_reader: str | None = None  # a serial port, or "auto"
    tether: Path | None = None  # a tethered camera's folder (--tether)
    usb: UsbSettings | None = None  # the USB camera's settings as last chosen (None: the defaults)

    def close(self) -> None:
        if self.demo_server is not None:
            self.demo_server.stop()
        self.station.close()


def open_station(args: argparse.Namespace) -> Opened:
    check_mediapipe_folder()  # said before the window, not as program errors from every thread that checks a face
    station = Station.open(start_home(args.home, bool(args.demo)), args.lang)
    try:
        station.claim()
        log_to_file(station.home)
        log.info("station starting: home %s, demo %s", station.home, bool(args.demo))
        load_profiles(station.home)  # a school's broken output profile file is said at start, not at the shutter
        reader = getattr(args, "idcard_reader", None)
        tether = tether_folder(args.tether) if getattr(args, "tether", None) else None
        if args.demo:
            return Opened(station, args.camera or str(DEMO_FRAMES), True, prepare_demo(station), idcard_reader=reader,
                          tether=tether)
        if args.camera is not None:
            return Opened(station, args.camera, False, idcard_reader=reader, tether=tether)
        chosen = saved_camera(station.home)  # the camera dialog's last choice, else camera 0
        return Opened(station, str(chosen.index) if chosen else "0", False, idcard_reader=reader, tether=tether,
                      usb=chosen.settings if chosen else None)
    except BaseException:
        station.close()
        raise


class SignIn:
    """Who photographs today and, where neither the OS keyring nor $PHOTO_STATION_PASSPHRASE opens the station
    key, the passphrase: chosen and typed twice on the laptop's first use, typed once afterwards."""

    def __init__(self, opened: Opened, operator: str | None) -> None:
        self.opened = opened
        self.operator = operator or (DEMO_OPERATOR if opened.demo else None)
        self.key = opened.key
        self.problem: Text | None = None
        if self.key is None:
            try:
                self.key = unlock_station_key(opened.station.home)
            except StationError as exc:  # needing a passphrase is the dialog's ordinary question, not an error
                if passphrase_need(opened.station.home) is PassphraseNeed.NONE:
                    self.problem = exc.text

    @property
    def done(self) -> bool:
        return bool(self.operator) and self.key is not None

    @property
    def need(self) -> PassphraseNeed:
        return PassphraseNeed.NONE if self.key is not None else passphrase_need(self.opened.station.home)

    @property
    def suggested_operator(self) -> str:
        return self.operator or self.opened.station.last_operator

    def answer(self, operator: str, passphrase: str) -> None:
        self.operator = operator.strip()
        if self.key is None:
            try:
                self.key = unlock_station_key(self.opened.station.home, passphrase or None)
                self.problem = None
            except StationError as exc:
                self.problem = exc.text


def sign_in_problem(need: PassphraseNeed, operator: str, passphrase: str, again: str) -> Text | None:
    """What the start dialog still lacks before its answer is tried (None: nothing): every photo records a
    photographer; a passphrase when one is asked; a new one typed the same twice and long enough, said before the
    slow key derivation."""
    if not operator.strip():
        return NO_NAME
    if need is PassphraseNeed.NONE:
        return None
    if not passphrase:
        return NO_PASSPHRASE
    if need is PassphraseNeed.UNLOCK:
        return None
    if passphrase != again:
        return MISMATCH
    return passphrase_problem(passphrase)


def start_session(opened: Opened, sign_in: SignIn, listener: SessionListener,
                  post: Callable[[Callable[[], None]], None]) -> CaptureSession:
    """The capture session with its store (photos saved before a crash recovered), uploader and camera; for the
    demo, its own receiving server on loopback, whose registrar page is said on the console (and in the window's
    演示 menu). The caller starts it once it listens (`CaptureSession.start`)."""
    station = opened.station
    store = CaptureStore(station, key=sign_in.key)
    store.recover()
    if opened.demo:
        opened.demo_server = DemoServer(station).start()
        import_demo_references(station, sign_in.key)
        page = registrar_page(station).said
        log.info("demo: %s", page.en)
        if sys.stdout is not None:  # none under pythonw (Windows, no console)
            print(page.get(station.lang), flush=True)
    uploader = Uploader(station.home, sign_in.key)
    uploader.start()
    camera = open_camera(opened.camera, usb=opened.usb).start()
    try:
        session = CaptureSession(station, store, sign_in.operator, camera, uploader, listener, post, live_identity=True)
    except BaseException:  # a broken policy file, said by the caller: the camera and the uploader stop with it
        camera.stop()
        uploader.stop()
        raise
    session.usb_settings = opened.usb or session.usb_settings  # what the camera dialog shows as in use
    session.card_ocr = card_ocr  # ID cards held up to the camera, read on a thread of their own
    if opened.idcard_reader:
        session.card_reader = chip_reader(opened.idcard_reader)
    session.tether = opened.tether
    return session


def card_ocr() -> CardOcr:
    """The OCR of ID cards held up to the camera, on one thread: the other core stays with the preview and the
    live checks (the models load on the card scanner's thread, not while the window opens)."""
    return CardOcr(threads=1)


def chip_reader(port: str) -> Callable[[], ChipReader]:
    """How the session opens the ID-card reader: the port given, or the first port whose device answers the
    reader's SAM-id command ("auto")."""
    return ChipReader.find if port == "auto" else lambda: ChipReader(port)
