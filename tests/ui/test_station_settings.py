"""工作站 → 输出规格 and 背景颜色标定 from the window: each menu entry names the current choice, the choice is kept in
the station's data folder, and the shutter's checks use a calibration made from the live picture at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from station.camera import open_camera
from station.capture.session import CaptureSession
from station.capture.workflow import CaptureWorkflow
from station.chsi.profiles import STATION_PROFILES
from station.compliance import calibration
from station.compliance.calibration import BackdropColour, backdrop_file
from station.storage.captures import CaptureStore
from tests.chsi.test_output_profiles import SCHOOL
from tests.ui.conftest import close_anyway, on_next_dialog
from tests.ui.menus import words
from ui import tasks
from ui.main_window import MainWindow
from ui.station_settings import ProfileDialog


def test_the_output_profile_is_chosen_in_the_window(qtbot, station, engine, frames: Path) -> None:
    (station.home / STATION_PROFILES).write_text(SCHOOL, encoding="utf-8")  # a school's own profiles beside CHSI
    tasks.install()
    source = open_camera(str(frames), fps=20).start()
    store = CaptureStore(station, key=station.demo_key)
    workflow = CaptureWorkflow(station, store, "测试摄影师", engine=engine)  # its own pipeline: this test swaps it
    window = MainWindow(CaptureSession(station, store, "测试摄影师", source, post=tasks.to_main, live_checks=False,
                                       workflow=workflow))
    window.show()
    try:
        assert words(window.profile_action.text()) == "输出规格：本校通知：16K以下、640*480…"
        offered: list[list[str]] = []

        def pick_small(dialog: ProfileDialog) -> None:
            offered.append([name for name, button in dialog.choices.items() if button.isChecked()])
            dialog.choices["small"].setChecked(True)
            dialog.accept()

        on_next_dialog(pick_small, kind=ProfileDialog)
        window.choose_profile()
        assert offered == [["school16k"]]  # the current one checked
        assert window.message.text() == "已选用输出规格：小尺寸（360×480）"
        assert words(window.profile_action.text()) == "输出规格：小尺寸（360×480）…"
        assert workflow.pipeline.spec.width == 360  # the next shutter makes the school's file
        assert 'selected = "small"' in (station.home / STATION_PROFILES).read_text("utf-8")
    finally:
        close_anyway(window)
        window.session.stop_watching()
        source.stop()
        workflow.pipeline.close()


def test_the_backdrop_is_calibrated_from_the_live_picture(qtbot, make_window, frames: Path, station, engine,
                                                          tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(calibration, "BACKDROP_FILE", tmp_path / "none.toml")  # whatever this checkout holds
    window = make_window(frames)
    assert words(window.calibrate_action.text()) == "背景颜色标定（未标定）…"
    before = engine.policy  # the engine is shared by the test run: given back as it was
    try:
        on_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), kind=QMessageBox)
        window.calibrate_backdrop()
        qtbot.waitUntil(lambda: window.message.property("level") == "ok", timeout=20_000)
        saved = station.home / "calibration" / "backdrop.toml"
        assert window.message.text().startswith(f"背景颜色已标定并保存（{saved}）：色相")
        colour = BackdropColour.load(saved)
        assert colour is not None and colour.reference is not None  # the morning's light, for backdrop_drift
        assert engine.policy["background"]["hue_min"] == colour.hue_min  # the shutter's checks use it now
        assert window.calibrate_action.text().startswith("背景颜色标定（上次 ")
    finally:
        engine.policy = before


def test_a_calibration_that_cannot_be_saved_is_said_and_changes_nothing(qtbot, make_window, frames: Path, station,
                                                                          engine, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(calibration, "BACKDROP_FILE", tmp_path / "none.toml")
    (station.home / "calibration").write_text("not a folder")  # where the calibration folder should be
    window = make_window(frames)
    before = engine.policy
    on_next_dialog(lambda box: box.button(QMessageBox.StandardButton.Ok).click(), kind=QMessageBox)
    window.calibrate_backdrop()
    qtbot.waitUntil(lambda: window.message.property("level") == "bad", timeout=20_000)
    assert window.message.text().startswith("无法保存背景标定")
    assert engine.policy is before  # the shutter's checks keep what they had
    assert words(window.calibrate_action.text()) == "背景颜色标定（未标定）…"


def test_a_calibration_left_in_the_program_folder_is_kept(tmp_path: Path, monkeypatch) -> None:
    legacy = tmp_path / "program" / "calibration" / "backdrop.toml"
    legacy.parent.mkdir(parents=True)
    BackdropColour(90, 120, 50, 60, 40.0, 5.0, -30.0).save(legacy)
    monkeypatch.setattr(calibration, "BACKDROP_FILE", legacy)  # where an installed station kept it
    home = tmp_path / "home"
    path = backdrop_file(home)
    assert path == home / "calibration" / "backdrop.toml" and BackdropColour.load(path).hue_max == 120
    legacy.unlink()  # an update replaced the program folder
    assert backdrop_file(home) == path and BackdropColour.load(path).hue_max == 120
    BackdropColour(95, 125, 50, 60).save(legacy)  # an older file never overwrites the station's own
    assert BackdropColour.load(backdrop_file(home)).hue_max == 120


def test_the_check_command_calibrates_into_the_data_folder(home: Path) -> None:
    from station.adapters.cli import parse_args, run
    from station.adapters.demo import DEMO_DIR

    assert run(parse_args(["check", "--calibrate-backdrop", str(DEMO_DIR / "kiosk" / "01_good.jpg"),
                           "--home", str(home)])) == 0
    assert BackdropColour.load(home / "calibration" / "backdrop.toml") is not None
