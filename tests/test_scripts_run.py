"""The measuring scripts whose figures the docs quote still run, each at its smallest setting, and still print them.

A script under scripts/ is no part of the station, so nothing else imports it: when an interface it uses changes (a new
argument, a method gone, a module moved), only running it shows the break. scripts/benchmark_standing.py did not run
from 9f9b8b6 (session 29) to 68352e1 (its stand-in for the upright finder lacked a new optional argument), nor the lens
part of scripts/benchmark_lenses_makeup.py from 7897dbc (LensModel.load removed) to 9bbadab, while docs/cli.md and the
model cards quoted their figures. Each run here is a real subprocess of this tree's Python, on the real shared
datasets where the script reads them (skipped where ../shared/datasets/faces is absent), and must exit 0 and print the
lines that carry its figures, with numbers in them. Left out, as too slow at their smallest setting for this file
(13 s to minutes), or needing what the tests do not install (benchmark_verify_engines: its int8 variant
needs sympy, of the train extra): benchmark_shutter, benchmark_live_steadiness, benchmark_upright_big,
benchmark_verify_norm (it reads benchmark_verify_idlike's cache of every dev person), compare_blur_measures,
measure_teeth_feature and fit_head_pose; the screenshot scripts and make_demo_* print no figure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

N = r"[\d.]+"  # a figure

# (script and its smallest arguments, needs ../shared, lines its output must hold: each a regex searched per line)
RUNS: dict[str, tuple[list[str], bool, list[str]]] = {
    "roster": (["benchmark_roster.py", "--students", "100", "--chain", "10"], False, [
        rf"^first import\s+100 rows\s+{N} s",
        rf"^re-import, unchanged\s+100 rows\s+{N} s",
        rf"^shifted code column\s+10 rows\s+{N} s\s+\(imported 0, .*rejected \d+\)"]),
    "upload": (["benchmark_upload.py", "--stations", "1", "--workers", "1", "--photos", "2"], False, [
        rf"saves per second per station .*: {N}",
        rf"^stations\s+1, server processes 1: 2 uploads .* = {N} uploads/s; upload time median \d+ ms, p95 \d+ ms"]),
    "identity_page": (["benchmark_identity_page.py", "--students", "20", "--doubts", "3"], False, [
        r"^server folder: 20 photographed, 3 doubted",
        r"^GET /identity: \d+ ms \(median of 5",
        r"^all thumbnails, first look, 6 at a time: \d+ ms"]),
    "idcard": (["benchmark_idcard.py", "--val", "2", "--test", "2", "--threads", "1"], False, [
        r"^rules give DET_SIDE \d+, MIN_NUMBER_WIDTH_PX \d+",
        rf"readable cards matched to the right student: \d+/\d+ = {N} %",
        r"time per frame with a card: median \d+ ms, p95 \d+ ms wall; CPU median \d+ ms",
        r"time per frame with no card .*: median \d+ ms"]),
    "camera": (["benchmark_camera.py", "--seconds", "1"], False, [
        rf"^preview shown: {N} fps",
        rf"^frame-to-screen delay ms: mean {N}, median {N}, p95 {N}",
        rf"^checks: {N} per s, \d+ ms each"]),
    "soak": (["benchmark_soak.py", "--minutes", "0.3", "--every", "5", "--sample", "5"], False, [
        r"^QPA offscreen, demo camera demo/ holding each picture 2 s, 12 roster students",
        rf"^t\s+\d+ s  captures\s+\d+  rss_mb {N}  os_threads \d+  py_threads \d+  fds \d+  gc_objects \d+  widgets \d+",
        r"^captures \d+ in \d+ turns \(\d+ presses",
        rf"^growth per hour, least squares over \d+ samples after {N} min of warm-up:",
        rf"^  rss_mb\s+[+-]{N} MB/h",
        rf"^  widgets\s+[+-]{N}/h",
        rf"^  data_mb\s+[+-]{N} MB/h"]),
    "barcode_misreads": (["benchmark_barcode_misreads.py", "1", "code128"], False, [
        r"^code128 \{.*'frames': \d+.*'now: card taken': \d+"]),
    "check": (["benchmark_check.py", "--limit", "3"], True, [
        rf"^wall {N} s: {N} stills/s; CPU {N} s: {N} ms per still"]),
    "upright": (["benchmark_upright.py", "--faces", "1"], True, [
        rf"^both detectors\s+upright said upright \d+/1, turned said upright \d+/3 .*, {N} ms per photo",
        rf"^short-range alone\s+upright said upright \d+/1, turned said upright \d+/3 .*, {N} ms per photo"]),
    "rolled_crops": (["measure_rolled_crops.py", "--count", "1"], True, [
        r"^\d of 1 faces rolled 8 degrees gave an in-spec CHSI photo"]),
    "hair_top": (["measure_hair_top.py", "--split", "val", "--count", "2"], True, [
        rf"^segmentation, head region \(the planner\): \d+ answers, \d+ fell back; error px median [+-]?{N}"]),
    "blur": (["benchmark_blur.py", "--split", "val", "--limit", "3"], True, [
        rf"^\| both sizes \| gaussian 1.0 \(6 faces\) \| {N} \| {N} \|$"]),
    "backdrop": (["benchmark_backdrop.py", "--split", "val", "--faces", "1"], True, [
        r"^blue\s+pass \d\s+look \d\s+fail \d$",
        r"^room beside a 45 % cloth\s+pass \d\s+look \d\s+fail \d$"]),
    "queue": (["benchmark_queue.py", "--split", "val", "--faces", "1"], True, [
        r"^alone\s+n 1\s+pass \d\s+look \d\s+fail \d\s+photo made \d$",
        r"^beside, as near\s+n 1\s+pass \d\s+look \d\s+fail \d\s+photo made \d$"]),
    "code_in_photo": (["benchmark_code_in_photo.py", "--limit", "1"], True, [
        r"^a flat, sharp phone, code 60 px or more, inside the crop \(should block\): block \d+/\d+",
        rf"^CPU cost of the check, still, no code: median {N} ms, p95 {N} ms"]),
    "compliance": (["benchmark_compliance.py", "--limit", "1", "--scenes", "1", "--frames", "2"], True, [
        rf"^\| teeth \| genki4k:smile \| \d+ \| \d+ \|",
        rf"^Pose error on genki4k test .*: yaw {N}°",
        rf"^Time per 1280x720 frame, all checks .*: live analyser median {N} ms"]),
    "trust": (["benchmark_trust.py", "--limit", "1"], True, [
        rf"^celebahq test \(CelebA labels\): 1 images, no face found in \d+, .* {N} images/s through check_all"]),
    "webcam": (["benchmark_webcam.py", "--split", "val", "--limit", "1", "--conditions", "clean"], True, [
        r"^\| check \| clean \|$",
        rf"^clean {N}/s through check_all"]),
    "lenses_makeup": (["benchmark_lenses_makeup.py", "--parts", "makeup", "lenses", "--limit", "2"], True, [
        r'^ "makeup": \{$',
        r'^ "coloured_lenses": \{$',
        r'^  "val_portraits": \{$',
        rf'^   "auc_all": {N},?$']),
    "standing": (["benchmark_standing.py", "--faces", "1", "--split", "val"], True, [
        r"^1 CelebA-HQ val faces, each a portrait and a kiosk frame$",
        r"^shipped\s+kiosk\s+turned\s+90: (upright|as it lay|turned wrong) 1$",
        r"^before\s+portrait turned 270: (upright|as it lay|turned wrong) 1$"]),
    "standing_leaning": (["benchmark_standing.py", "--leaning", "--faces", "1", "--split", "val"], True, [
        r"^leaning 30 turned 270: ",
        r"^upright photos left upright \d of 4; turned wrong \d+ of 16"]),
    "verify": (["benchmark_verify.py", "--split", "dev", "--people", "3", "--models", "station"], True, [
        r"^dev: 30 images of 3 people",
        rf"^station: \d+ genuine / \d+ impostor pairs; faces not found 0 of 30$",
        rf"^  EER {N} %   TAR at FAR 0.1 % {N} %$",
        rf"^swap search: one face against 10,000 stored, median {N} ms"]),
    "verify_idlike": (["benchmark_verify_idlike.py", "--split", "dev", "--people", "3"], True, [
        rf"^id82: faces not found \d+ of 30; face width median \d+ px",
        r"^id102 vs chsi480: \d+ genuine / \d+ impostor pairs$",
        rf"^  at threshold {N}: FAR {N} %  FRR {N} %$"]),
}


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.dataset) if needs_shared else name
                                  for name, (_, needs_shared, _) in RUNS.items()])
def test_script_runs_and_prints_its_figures(name: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    args, needs_shared, lines = RUNS[name]
    if needs_shared:
        request.getfixturevalue("faces_dir")  # skips where ../shared/datasets/faces is absent
    env = {**os.environ, "PHOTO_STATION_HOME": str(tmp_path / "home"), "PHOTO_STATION_LANG": "en",
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / args[0]), *args[1:]], cwd=ROOT, env=env,
                          capture_output=True, timeout=240)
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"{args[0]} exited {done.returncode}:\n{out[-3000:]}\n{err[-3000:]}"
    missing = [line for line in lines if not any(re.search(line, got) for got in out.splitlines())]
    assert not missing, f"{args[0]} printed no line matching {missing}:\n{out[-3000:]}"


@pytest.mark.parametrize("command", [["-m", "training.evaluate"], ["scripts/fit_head_pose.py"],
                                     ["scripts/measure_teeth_feature.py"], ["scripts/benchmark_barcode_misreads.py"]],
                         ids=["evaluate", "fit_head_pose", "teeth_feature", "barcode_misreads"])
def test_help_says_what_a_script_does_and_does_nothing(command: list[str]) -> None:
    """`--help` started training/evaluate.py's whole run, which rewrites models/manifest.json, the metrics and the
    policy file (fit_head_pose and measure_teeth_feature ran in full too; benchmark_barcode_misreads stopped with a
    ValueError): it prints the usage and exits, writing nothing."""
    written = [ROOT / "models" / "manifest.json", ROOT / "models" / "metrics.json", ROOT / "models" / "metrics.md",
               ROOT / "station" / "compliance" / "policy.toml"]
    before = [path.stat().st_mtime_ns for path in written]
    done = subprocess.run([sys.executable, *command, "--help"], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 0 and done.stdout.decode().startswith("usage:"), done.stderr.decode()[-2000:]
    assert [path.stat().st_mtime_ns for path in written] == before
