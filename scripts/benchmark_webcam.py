"""What a cheap webcam does to the verdicts: per camera condition and per check, the share of compliant kiosk
scenes blocked and asked about, through `photo-station check`'s own code (check_all: the shipped policy and models).

Scenes: the compliant faces of one split (training/splits; "val" to choose, "test" measured once), composed on the
blue backdrop in a 1280x720 frame (training.kiosk_scenes), then each condition below applied. Compliant, the issue's
definition (no glasses, hat, earrings, necklace, open mouth, smile or fringe): celebamaskhq by its parsing masks
(glasses, hat, earrings, necklace, open mouth, teeth, hidden brows), cut out by its mask; celebahq by its CelebA
labels, cut out by the station's person segmenter. The ears are outside that definition (hair over them is common:
110 of 150 celebamaskhq val masks), so ears_covered is excused on faces whose mask hides them and on celebahq faces
(no ear label); makeup is excused on celebahq faces labelled Heavy_Makeup. Half the faces from each set at most.

Rule file, fixed before any figure of this benchmark was seen (session 22):
- Conditions (a cheap 720p laptop or USB webcam at a venue; linear-light operations in linear sRGB):
  res960 captured at 960x540, bilinear upscale to 1280x720 | noise luma sigma 6 + chroma sigma 3 (8-bit), softened
  0.6 px as demosaicing leaves it | mjpg60 JPEG q 60 (4:2:0, the MJPG stream) | defocus Gaussian sigma 1.25 px |
  warm 3200 K cast the auto white balance left (gains R 1.15, B 0.80) | cool fluorescent cast (R 0.92, G 1.06,
  B 1.04) | vignette light falling to 0.6 at the corners (1 - 0.4 r^2) | lamp15 a side lamp, 1.5:1 light ratio across
  the face (on the person; the backdrop has its own lamps) | webcam720 all a cheap 720p webcam does at once: res960,
  defocus sigma 1.0, vignette, noise, mjpg60 | under07 -0.7 EV | over05 +0.5 EV, clipped at 255 | res640 captured at
  640x360, upscaled.
- A false alarm is a block or a question, on a compliant scene, by a check the condition does not legitimately
  break. Legitimate: under07 and over05 may fire exposure (the face is darker or brighter; highlights clip);
  res640 may fire blur (the CHSI crop then holds under half the 480x640 pixels the photo needs). Every other check
  under every condition, and every check under the others, must stay quiet: a false alarm there.
- Background and backdrop_drift are judged as the station runs them: calibrated (背景颜色标定) in the morning on an
  empty backdrop frame seen through the same webcam and light (a separate noise draw); --uncalibrated runs the
  shipped default colour range instead (drift then always passes).
- Targets (the issue's): per tolerated condition, any false-alarm block at most 5 % and any false-alarm question
  at most 15 % of compliant scenes; per measured check (blur, exposure, lighting, background, backdrop_drift,
  clothing_contrast, face_position, pose), no more than one scene (of ~50) above its clean row. A learned check whose
  questions jump is reported, not retrained here.
- Misses: the violating rows must still fire their check: defocus3 (sigma 3 px) blur, under2 (-2 EV) exposure,
  lamp4 (4:1 side lamp) lighting; a threshold change may not lower their share blocked.
- A threshold or measure is changed only on val figures, by the rule above; test is then run once and reported.
Added after the first val table, a way of reading it (no threshold follows from it): the source portraits are not
all frontal and evenly lit (pose blocks 37 % of the clean val scenes, lighting 19 %), so the "new" columns count only
the checks that passed on the same face's clean frame: what the webcam added.
Amendments, session 22, each written before any figure of the change it governs (val decides; test is run once per
shipped change and reported as it comes out; a rule that says do not ship is obeyed):
- 05:42 UTC, exposure (under2, -2 EV, blocked on 36 % val): a question band below min_face_lightness. The block limit
  stays 28 L* (no new block on a compliant face). look = the score of the highest face lightness L (0.5 L* steps,
  above 28) at which, in the clean row and in each condition exposure must tolerate (clean, res960, noise, mjpg60,
  defocus, warm, cool, vignette, lamp15, webcam720, res640; under07 and over05 may fire exposure and are reported
  only), exposure asks about at most 3 % of the compliant val scenes. Ship iff under2's exposure blocked+asked share
  on val rises by at least 20 points while no tolerated condition's any-question share rises by more than 3 points.
- 05:42 UTC, lighting (lamp15, a 1.5:1 side lamp, adds lighting blocks on faces clean passed). Two candidates, fixed
  now: (a) a question band on the L* measure: look = the score of 20 L* (the current limit), block at the highest
  limit (0.5 L* steps) at which lighting blocks as many lamp4 val scenes as at 20; (b) a light-ratio measure a kiosk
  can read at capture without knowing the face: |log2| of the ratio of the two cheek discs' median luminance in
  linear light (the same discs), in stops, exposure-invariant (a 1.5:1 lamp adds 0.58 stops, a 4:1 lamp 2); its
  block limit the highest (0.05-stop steps) at which lighting blocks as many lamp4 val scenes as the L* limit 20
  does now, no question band. Ship a candidate iff lamp15's new lighting blocks on val (lighting blocks where the
  same face's clean frame passed lighting) fall by at least 5 points, lamp4's lighting blocked+asked share does not
  fall, and the clean row's lighting blocked+asked share does not rise by more than one scene; both passing: the
  larger fall of lamp15's new blocks, ties to (a).
Run: nice -n 10 .venv/bin/python scripts/benchmark_webcam.py --split val [--limit N] [--uncalibrated] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.datasets import FACES_DIR, load_labels, load_mask, load_split  # noqa: E402
from training.labels import HEADS, mask_labels  # noqa: E402
from training import kiosk_scenes as scenes  # noqa: E402
from station.adapters.cli.check import check_all, reported  # noqa: E402
from station.compliance import CHECK_IDS, LEARNED_CHECK_IDS, Analysis, Policy  # noqa: E402
from station.compliance.calibration import measure_backdrop  # noqa: E402
from station.compliance.learned import IRIS_IMAGE_LEFT, IRIS_IMAGE_RIGHT  # noqa: E402
from station.compliance.results import FAIL, LOOK, PASS  # noqa: E402
from station.errors import StationError  # noqa: E402
from station.face.segmentation import PersonSegmenter  # noqa: E402

MASK_RULES = ("glasses", "hat", "earrings", "necklace", "mouth_open", "teeth", "eyebrows_covered", "ears_covered")
MEASURED_CHECKS = ("face_count", "face_position", "pose", "background", "backdrop_drift", "clothing_contrast",
                   "exposure", "lighting", "blur")
SKIN, LEFT_EYE, RIGHT_EYE = 1, 4, 5  # CelebAMask-HQ classes
COMPLIANT_COLUMNS = ("Eyeglasses", "Wearing_Hat", "Wearing_Earrings", "Wearing_Necklace", "Mouth_Slightly_Open",
                     "Smiling", "Bangs")  # the definition, on celebahq's CelebA labels
# A CelebA-HQ face's centre and width (skin, cheek to cheek) as shares of the aligned portrait: the medians of the
# celebamaskhq val masks (CelebA-HQ is aligned alike), for the side lamp on celebahq faces.
ALIGNED_FACE = (0.505, 0.54)
SEED = 20261206


@dataclass(frozen=True)
class Portrait:
    """A compliant face composed as a kiosk scene, and where its face and person are in the frame."""

    scene: np.ndarray
    person: np.ndarray  # float32 0..1: the pasted person's alpha in the frame
    face_x: float  # the face's centre and width in frame pixels
    face_width: float
    excused: tuple[str, ...] = ()  # checks this face's labels cannot clear (see compliant_faces)


# --- the conditions ------------------------------------------------------------------------------------------------

def linear(bgr: np.ndarray) -> np.ndarray:
    v = bgr.astype(np.float32) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def srgb(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    v = np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)
    return np.clip(np.round(v * 255.0), 0, 255).astype(np.uint8)


def gains(frame: np.ndarray, bgr: tuple[float, float, float]) -> np.ndarray:
    return srgb(linear(frame) * np.float32(bgr))


def captured_at(frame: np.ndarray, width: int) -> np.ndarray:
    height = round(frame.shape[0] * width / frame.shape[1])
    small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (frame.shape[1], frame.shape[0]), interpolation=cv2.INTER_LINEAR)


def noisy(frame: np.ndarray, rng: np.random.Generator, luma: float = 6.0, chroma: float = 3.0) -> np.ndarray:
    height, width = frame.shape[:2]
    grain = rng.normal(0, luma, (height, width, 1)) + rng.normal(0, chroma, (height, width, 3))
    grain = cv2.GaussianBlur(grain.astype(np.float32), (0, 0), 0.6)
    return np.clip(frame + grain, 0, 255).astype(np.uint8)


def mjpg(frame: np.ndarray, quality: int = 60) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def defocus(frame: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(frame, (0, 0), sigma)


def vignette(frame: np.ndarray, corner: float = 0.6) -> np.ndarray:
    height, width = frame.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    r2 = (((xx - width / 2) / (width / 2)) ** 2 + ((yy - height / 2) / (height / 2)) ** 2) / 2  # 1 at the corners
    return srgb(linear(frame) * (1 - (1 - corner) * r2)[:, :, None])


def exposed(frame: np.ndarray, ev: float) -> np.ndarray:
    return srgb(linear(frame) * np.float32(2.0 ** ev))


def side_lamp(portrait: Portrait, ratio: float) -> np.ndarray:
    """The person lit `ratio`:1 from the image's right to its left across the face (full ratio at the cheeks)."""
    xs = np.arange(portrait.scene.shape[1], dtype=np.float32)
    ramp = ratio ** (0.5 * np.tanh((xs - portrait.face_x) / (0.12 * portrait.face_width)))
    light = 1 + (ramp[None, :] - 1) * portrait.person
    return srgb(linear(portrait.scene) * light[:, :, None])


def webcam720(p: Portrait, rng: np.random.Generator) -> np.ndarray:
    return mjpg(noisy(captured_at(vignette(defocus(p.scene, 1.0)), 960), rng))


Condition = Callable[[Portrait, np.random.Generator], np.ndarray]
CONDITIONS: dict[str, Condition] = {
    "clean": lambda p, rng: p.scene,
    "res960": lambda p, rng: captured_at(p.scene, 960),
    "noise": lambda p, rng: noisy(p.scene, rng),
    "mjpg60": lambda p, rng: mjpg(p.scene),
    "defocus": lambda p, rng: defocus(p.scene, 1.25),
    "warm": lambda p, rng: gains(p.scene, (0.80, 1.0, 1.15)),
    "cool": lambda p, rng: gains(p.scene, (1.04, 1.06, 0.92)),
    "vignette": lambda p, rng: vignette(p.scene),
    "lamp15": lambda p, rng: side_lamp(p, 1.5),
    "webcam720": webcam720,
    "under07": lambda p, rng: exposed(p.scene, -0.7),
    "over05": lambda p, rng: exposed(p.scene, 0.5),
    "res640": lambda p, rng: captured_at(p.scene, 640),
    # violating: the check named must fire
    "defocus3": lambda p, rng: defocus(p.scene, 3.0),
    "under2": lambda p, rng: exposed(p.scene, -2.0),
    "lamp4": lambda p, rng: side_lamp(p, 4.0),
}
# What each condition legitimately breaks (the rule file): those checks firing are not false alarms.
ALLOWED = {"under07": ("exposure",), "over05": ("exposure",), "res640": ("blur",),
           "defocus3": ("blur",), "under2": ("exposure",), "lamp4": ("lighting",)}
MUST_FIRE = {"defocus3": "blur", "under2": "exposure", "lamp4": "lighting"}


# --- the faces -----------------------------------------------------------------------------------------------------

def mask_breaks(file: str) -> set[str]:
    """The rules a parsing mask shows broken (training.labels.mask_labels, the irises at the eyes' centres)."""
    mask = load_mask(file)
    points = np.zeros((478, 2), np.float32)
    for index, eye in ((IRIS_IMAGE_LEFT, LEFT_EYE), (IRIS_IMAGE_RIGHT, RIGHT_EYE)):
        ys, xs = np.nonzero(mask == eye)
        if not len(xs):
            return {"eyes_closed"}  # an eye the mask does not show: a turned or covered face
        points[index] = xs.mean(), ys.mean()
    values = np.full(len(HEADS), np.nan, np.float32)
    mask_labels(file, cv2.imread(str(FACES_DIR / "celebamaskhq" / file)), points, values)
    return {rule for rule in MASK_RULES if values[HEADS.index(rule)]}


def compliant_faces(split: str, limit: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(dataset, file, checks its labels cannot clear) for the compliant faces of `split`: celebamaskhq by its masks
    (hidden ears excuse ears_covered, as the issue's definition leaves the ears out), then celebahq by its CelebA
    labels (no ear label: ears_covered excused; Heavy_Makeup excuses makeup), half of `limit` each at most."""
    faces = []
    for file in load_split("celebamaskhq")[split]:
        broken = mask_breaks(file)
        if not broken - {"ears_covered"}:
            faces.append(("celebamaskhq", file, tuple(broken)))
    faces = faces[:limit // 2]
    rows = load_labels("celebahq")
    for file in load_split("celebahq")[split]:
        row = rows[file]
        if not any(int(row[column]) for column in COMPLIANT_COLUMNS) and len(faces) < limit:
            faces.append(("celebahq", file, ("ears_covered",) + (("makeup",) if int(row["Heavy_Makeup"]) else ())))
    return faces


def portrait(dataset: str, file: str, excused: tuple[str, ...], seed: int, segmenter: PersonSegmenter) -> Portrait:
    """The face composed on the backdrop: cut out by its parsing mask (celebamaskhq) or by the station's person
    segmenter (celebahq, as training.kiosk_scenes.write_test_scenes does)."""
    image = cv2.imread(str(FACES_DIR / dataset / file))
    mask = scenes.cut_out(dataset, file, image, segmenter)
    scene = scenes.compose(image, mask, scenes.backdrop("blue", np.random.default_rng(seed)), seed=seed)
    person = scenes.paste(np.full_like(image, 255), mask, np.zeros_like(scene))[:, :, 0].astype(np.float32) / 255.0
    x0, _, side = scenes.placement(scene.shape)
    if dataset == "celebamaskhq":
        xs = np.nonzero((mask == SKIN).any(axis=0))[0] / mask.shape[1]
        centre, width = float(xs.min() + xs.max()) / 2, float(xs.max() - xs.min())
    else:
        centre, width = ALIGNED_FACE
    return Portrait(scene, person, x0 + centre * side, width * side, excused)


def empty_backdrop(seed: int) -> Portrait:
    """The calibration frame: the backdrop with nobody in front (a separate noise draw)."""
    scene = scenes.backdrop("blue", np.random.default_rng(seed))
    return Portrait(scene, np.zeros(scene.shape[:2], np.float32), scene.shape[1] / 2, 180.0)


# --- measuring -----------------------------------------------------------------------------------------------------

@dataclass
class Row:
    condition: str
    levels: list[dict[str, str] | None] = field(default_factory=list)  # per face: check -> level; None: unread
    excused: list[tuple[str, ...]] = field(default_factory=list)  # per scene: checks its labels cannot clear
    unread: int = 0
    seconds: float = 0.0

    def share(self, check: str, level: str) -> float:
        return sum(s.get(check) == level for s in self.read) / max(1, len(self.read))

    def any_share(self, level: str, false_alarms_only: bool = False, clean: "Row | None" = None) -> float:
        """Scenes with any check at `level` (a question counts only without a block); `false_alarms_only`: leaving
        out the checks the condition may break (ALLOWED) and those the face's labels cannot clear; `clean`: only the
        checks that did not fire (at any level) on the same face's clean frame: what the webcam added."""
        skip = ALLOWED.get(self.condition, ()) if false_alarms_only else ()

        def fires(levels: dict[str, str], excused: tuple[str, ...], before: dict[str, str] | None) -> bool:
            kept = [v for c, v in levels.items() if c not in skip and not (false_alarms_only and c in excused)
                    and (before is None or before.get(c) == PASS)]
            return FAIL in kept if level == FAIL else LOOK in kept and FAIL not in kept
        cleans = clean.by_face if clean is not None else {}
        faces = [i for i in self.by_face if clean is None or i in cleans]
        return sum(fires(self.by_face[i], self.excused[i], cleans.get(i)) for i in faces) / max(1, len(faces))

    @property
    def by_face(self) -> dict[int, dict[str, str]]:
        return {i: levels for i, levels in enumerate(self.levels) if levels is not None}

    @property
    def read(self) -> list[dict[str, str]]:
        return list(self.by_face.values())


def measure(name: str, portraits: list[Portrait], policy: Policy, folder: Path, calibrated: bool) -> Row:
    condition, row = CONDITIONS[name], Row(name)
    paths = []
    for i, p in enumerate(portraits):
        paths.append(folder / f"{name}_{i:04d}.png")
        cv2.imwrite(str(paths[-1]), condition(p, np.random.default_rng((SEED, i, sum(name.encode())))))
    backdrop = folder / f"{name}_backdrop.toml"  # absent: the shipped colour range, no drift reference
    if calibrated:
        try:
            measure_backdrop(condition(empty_backdrop(SEED - 1), np.random.default_rng((SEED, 10 ** 6)))).save(backdrop)
        except StationError as exc:
            print(f"{name}: the calibration refused the backdrop ({exc}); default range used", file=sys.stderr)
    start = time.perf_counter()
    for (path, outcome), p in zip(check_all(paths, policy, workers=2, backdrop=backdrop), portraits):
        path.unlink()
        outcome = reported(outcome)
        row.excused.append(p.excused)
        if not isinstance(outcome, Analysis):
            row.unread += 1
            row.levels.append(None)
            continue
        row.levels.append({c: r.level for c, r in outcome.checks.items()})
    row.seconds = time.perf_counter() - start
    return row


def pct(value: float) -> str:
    return f"{100 * value:.1f}"


def report(rows: list[Row], split: str, faces: list[tuple[str, str, tuple[str, ...]]], calibrated: bool) -> str:
    masked = sum(dataset == "celebamaskhq" for dataset, _, _ in faces)
    lines = [f"Compliant {split} faces as kiosk scenes: {masked} celebamaskhq (masks), {len(faces) - masked} celebahq "
             f"(CelebA labels); backdrop "
             f"{'calibrated through each condition' if calibrated else 'not calibrated (shipped colour range)'}.",
             "False alarms leave out what the condition may fire and what a face's labels cannot clear; new ones are "
             "also left out where that check already blocked or asked on the same face's clean frame (what the webcam "
             "added).", "", "| condition | any block % | any question % | false-alarm block % | false-alarm question % "
             "| new block % | new question % | the condition may fire |", "| --- |" + " --- |" * 7]
    clean = next((r for r in rows if r.condition == "clean"), None)
    for row in rows:
        lines.append(f"| {row.condition} | {pct(row.any_share(FAIL))} | {pct(row.any_share(LOOK))} "
                     f"| {pct(row.any_share(FAIL, True))} | {pct(row.any_share(LOOK, True))} "
                     f"| {pct(row.any_share(FAIL, True, clean))} | {pct(row.any_share(LOOK, True, clean))} "
                     f"| {', '.join(ALLOWED.get(row.condition, ())) or '-'} |")
    lines += ["", "Per check, % of compliant scenes blocked / asked (checks that never fire left out):", "",
              "| check | " + " | ".join(r.condition for r in rows) + " |", "| --- |" + " --- |" * len(rows)]
    for check in CHECK_IDS:
        if any(r.share(check, FAIL) or r.share(check, LOOK) for r in rows):
            mark = "" if check in LEARNED_CHECK_IDS or check == "coloured_lenses" else " (measured)"
            cells = [f"{pct(r.share(check, FAIL))}/{pct(r.share(check, LOOK))}" for r in rows]
            lines.append(f"| {check}{mark} | " + " | ".join(cells) + " |")
    caught = [f"{name}: {check} blocks {pct(r.share(check, FAIL))} %, asks {pct(r.share(check, LOOK))} %"
              for r in rows for name, check in MUST_FIRE.items() if r.condition == name]
    lines += ["", "Violating rows (the check must fire): " + "; ".join(caught), ""]
    lines.append("; ".join(f"{r.condition} {len(r.read) / max(r.seconds, 1e-9):.1f}/s"
                           + (f" ({r.unread} unread)" if r.unread else "") for r in rows)
                 + f" through check_all, 2 workers; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("val", "test"), default="val")
    parser.add_argument("--limit", type=int, default=100, help="at most N compliant faces")
    parser.add_argument("--conditions", nargs="*", default=list(CONDITIONS), choices=list(CONDITIONS))
    parser.add_argument("--uncalibrated", action="store_true", help="the shipped backdrop colour range, no drift")
    parser.add_argument("--json", type=Path, help="write each condition's per-check shares as JSON")
    args = parser.parse_args()
    faces = compliant_faces(args.split, args.limit)
    with PersonSegmenter(portrait=True) as segmenter:
        portraits = [portrait(*face, SEED + i, segmenter) for i, face in enumerate(faces)]
    policy = Policy.load()
    with tempfile.TemporaryDirectory(prefix="webcam-scenes-") as folder:
        rows = [measure(name, portraits, policy, Path(folder), not args.uncalibrated) for name in args.conditions]
    print(report(rows, args.split, faces, not args.uncalibrated))
    if args.json:
        doc = {r.condition: {c: {"block": r.share(c, FAIL), "look": r.share(c, LOOK)} for c in CHECK_IDS}
               | {"any": {"block": r.any_share(FAIL), "look": r.any_share(LOOK)}, "n": len(r.read)} for r in rows}
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
