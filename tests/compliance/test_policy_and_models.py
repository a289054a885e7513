"""The policy decides what fails; a missing or broken models/ folder gives a clear state, not a crash."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from station import ASSETS_DIR
from station.compliance import CHECK_IDS, LEARNED_CHECK_IDS, ComplianceEngine, Policy
from station.compliance.learned import LearnedChecks
from station.compliance.messages import PASSED
from station.compliance.policy import DEFAULT_POLICY
from station.compliance.results import UNAVAILABLE
from station.errors import MODEL_MISSING, StationError
from station.i18n import Text
from models import MANIFEST, MODELS_DIR, model_path


def _policy_text(**changes: str) -> str:
    """The default policy with `[check]` tables' lines replaced: changes = {"glasses": "enforced = false"}."""
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    for check, line in changes.items():
        key = line.split("=")[0].strip()
        head = text.index(f"\n[{check}]\n")
        start = text.index(f"{key} =", head)
        end = text.index("\n", start)
        text = text[:start] + line + text[end:]
    return text


def _frame() -> np.ndarray:
    path = ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"
    if not path.is_file():
        pytest.skip("demo frames absent")
    return cv2.imread(str(path))


def test_default_policy_enforces_everything_but_the_necklace_and_bans_glasses() -> None:
    """The necklace check is measured and shown but not enforced: no model sees visible necklaces (policy.toml)."""
    policy = Policy.load()
    assert set(policy.checks) == set(CHECK_IDS)
    assert [c for c in CHECK_IDS if not policy[c].enforced] == ["necklace"]
    assert policy["glasses"].look <= policy["glasses"].block < 1.0  # glasses block: a look-only check's block is 1.0


@pytest.mark.parametrize("text", [
    "not toml [",
    "[glasses]\nenforce = false\n",  # a typo would change nothing in silence
    "[glases]\nenforced = false\n",
    "glasses = 1\n",
    "[glasses]\nthreshold = 0.5\n",  # the key before the question band
    _policy_text(glasses="block = 1.5"),
    _policy_text(glasses="look = 0.9"),  # above block
    _policy_text(glasses="block = 0.5\nthreshold = 0.5"),  # the key before the question band
    _policy_text(pose="enforced = 3"),
    _policy_text(pose="max_yaw_deg = 'ten'"),
    _policy_text(pose="max_yaw_deg = inf"),  # valid TOML: the yaw limit would check nothing
    _policy_text(pose="max_yaw_deg = nan"),
    _policy_text(pose="max_yaw_deg = -5.0"),  # every face would fail the pose check
    _policy_text(exposure="max_clipped_share = 0.03\n[unknown_check]\nenforced = true"),
])
def test_broken_policy_files_give_a_bilingual_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StationError) as err:
        Policy.load(path)
    assert "检查规则文件有误" in err.value.text.zh and "policy" in err.value.text.en


def test_a_school_file_gives_only_what_it_changes_and_keeps_the_shipped_rest(tmp_path: Path) -> None:
    """A file written before a new check or a model's new thresholds keeps working, without stale values."""
    shipped = Policy.load()
    path = tmp_path / "school.toml"
    path.write_text("[glasses]\nenforced = false\n\n[pose]\nmax_yaw_deg = 12.0\n\n[hat]\nblock = 0.1\n",
                    encoding="utf-8")
    school = Policy.load(path)
    assert not school["glasses"].enforced and school["glasses"].block == shipped["glasses"].block
    assert school["pose"]["max_yaw_deg"] == 12.0 and school["pose"]["max_roll_deg"] == shipped["pose"]["max_roll_deg"]
    assert school["hat"].block == 0.1 and school["hat"].look == min(shipped["hat"].look, 0.1)  # the band stays below
    for check in CHECK_IDS:  # every check left out is the shipped one
        if check not in ("glasses", "pose", "hat"):
            assert school[check] == shipped[check], check


def test_a_rule_not_enforced_never_fails_but_is_still_scored(tmp_path: Path) -> None:
    path = tmp_path / "relaxed.toml"
    path.write_text(_policy_text(background="enforced = false", pose="max_roll_deg = 1.0"), encoding="utf-8")
    frame = np.full((720, 1280, 3), 128, np.uint8)  # grey: no face, not blue
    with ComplianceEngine.load(path) as relaxed:
        result = relaxed.analyze(frame)
        assert result.checks["background"].ok and result.checks["background"].message == PASSED
        assert result.checks["background"].score > 0.9
        tilted = relaxed.analyze(_frame())  # about 3 degrees of natural roll
        assert not tilted.checks["pose"].ok


def _learned_messages(models_dir: Path) -> set[Text]:
    """What the enforced learned checks say of the demo student's face, with the models of `models_dir`."""
    with ComplianceEngine.load(models_dir=models_dir) as engine:
        result = engine.analyze(_frame())
    assert result.faces == 1 and result.checks["face_position"].ok and result.verdict == "fail"
    for check in LEARNED_CHECK_IDS:
        assert result.checks[check].state == UNAVAILABLE
        assert result.checks[check].ok is not engine.policy[check].enforced  # the unenforced necklace never fails
    return {result.checks[check].message for check in LEARNED_CHECK_IDS if engine.policy[check].enforced}


def _models_but(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A models folder of the test's own holding the shipped files (linked, not copied), but model `name`'s ONNX file,
    which is left to the test to break; that folder and the file's path."""
    for path in MODELS_DIR.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            (tmp_path / path.relative_to(MODELS_DIR)).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path.relative_to(MODELS_DIR)).symlink_to(path)
    broken = model_path(name, tmp_path)
    broken.unlink()
    return tmp_path, broken


def test_an_empty_models_folder_names_its_missing_manifest_and_says_to_reinstall(tmp_path: Path) -> None:
    assert _learned_messages(tmp_path) == {MODEL_MISSING.format(path=tmp_path / MANIFEST)}
    assert "请重新安装工作站程序" in MODEL_MISSING.zh


def test_a_model_cut_short_is_named_as_damaged_and_onnxruntime_s_words_go_to_the_log(tmp_path: Path, caplog) -> None:
    """A copy that stopped half-way (a USB stick pulled, an antivirus quarantine): the checks said 检查模型无法运行：
    [ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model from … failed:Protobuf parsing failed."""
    name = LearnedChecks.load().blend.models[0]
    models_dir, broken = _models_but(tmp_path, name)
    whole = model_path(name).read_bytes()
    broken.write_bytes(whole[: len(whole) // 2])
    (said,) = _learned_messages(models_dir)
    assert said.zh == f"模型文件 {broken} 已损坏，无法加载：请重新安装工作站程序。"
    assert said.en == f"The model file {broken} is damaged and cannot be loaded: reinstall the station program."
    assert "ONNXRuntimeError" in caplog.text and str(broken) in caplog.text


def test_a_model_missing_is_named(tmp_path: Path) -> None:
    name = LearnedChecks.load().blend.models[-1]
    models_dir, gone = _models_but(tmp_path, name)
    (said,) = _learned_messages(models_dir)
    assert said.zh == f"缺少模型文件 {gone}：请重新安装工作站程序。"


def test_between_look_and_block_the_photographer_is_asked_and_the_shutter_stays_free(tmp_path: Path) -> None:
    path = tmp_path / "asking.toml"
    text = _policy_text(teeth="look = 0.0", mouth_open="look = 0.0")
    for check in ("teeth", "mouth_open"):
        text = re.sub(rf"(\[{check}\][^\[]*?)block = [0-9.]+", r"\g<1>block = 1.0", text)
    path.write_text(text, encoding="utf-8")
    with ComplianceEngine.load(path) as asking:
        result = asking.analyze(_frame())  # the demo student smiles with her teeth showing
    for check in ("teeth", "mouth_open"):
        got = result.checks[check]
        assert got.level == "look" and got.ok and got.score < 1.0
        assert "请目视确认" in got.message.zh and "check by eye" in got.message.en
    assert {"teeth", "mouth_open"} <= {c for c, _ in result.questions}
    assert not {"teeth", "mouth_open"} & {c for c, _ in result.problems}


def test_three_answers_from_two_thresholds() -> None:
    rule = Policy.load()["hat"]
    assert 0 < rule.look < rule.block < 1  # the shipped learned rules have a question band
    assert [rule.level(s) for s in (rule.look - 0.001, rule.look, rule.block - 0.001, rule.block)] == \
        ["pass", "look", "look", "fail"]
    assert Policy.load()["background"].look == Policy.load()["background"].block  # a table without `look` has no band
