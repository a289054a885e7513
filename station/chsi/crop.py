"""Plan the CHSI crop from face landmarks: level the eyes, find the hair top, scale and frame.

The planner works in "levelled" coordinates (the image rotated about the eye centre so the
eyes are horizontal), picks a scale that puts face width and the hair-to-eye distance near
the middle of their CHSI ranges, then slides the 480x640 window so the head is centred and
the hair top and eye line sit inside their bands. It never pads with invented pixels: if the
window would leave the camera frame, it refuses and says why. The result is one 2x3 affine
matrix from source pixels to output pixels, so the crop is a single warp of the original.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import cv2
import numpy as np

from station.chsi.face_geometry import FaceGeometry
from station.chsi.hair import PLAUSIBLE_HAIR, HairTop, HairTopFinder
from station.image_io import as_bgr
from station.chsi.spec import SPEC, ChsiSpec
from station.face.landmarks import Face
from station.i18n import Text

# Aim this many pixels inside every range, so re-measuring the output stays inside too.
SAFETY_PX = 8.0
# A head (cheeks, chin, hair top) closer than this share of the face width to the frame edge is cut.
EDGE_MARGIN = 0.04
# The hair top is searched within this box around the levelled face: face widths either side of its
# centre, face heights above the forehead landmark and below the chin.
HEAD_REGION = (1.5, PLAUSIBLE_HAIR[1] + 0.3, 0.6)
HEAD_REGION_SIDE = 384

REASONS: dict[str, Text] = {
    "no_face": Text("未检测到人脸", "no face found"),
    "several_faces": Text("画面中有多张人脸，请只保留一人", "several faces in view: only one person may be in the picture"),
    "head_cut_off": Text("头部超出画面边缘，请站到画面中央", "the head is cut off by the frame edge: stand in the middle"),
    "out_of_frame": Text("照片范围超出相机画面，请后退或站到中央", "the photo would reach beyond the camera frame: step back or to the centre"),
    "face_too_small": Text("人脸太小，请靠近相机", "the face is too small: come closer to the camera"),
    "proportions": Text("无法同时满足头顶、眼睛和脸宽的位置要求", "hair top, eye line and face width cannot all fit the CHSI ranges"),
    "upside_down": Text("照片方向不正（侧转或倒置）", "the photo is sideways or upside down"),
    "jpeg_size": Text("无法在质量不低于60的前提下使照片大小落在20-40KB", "no JPEG quality of 60 or more lands between 20 and 40 KB"),
    "too_grainy": Text("画面噪点太多（光线太暗或相机增益太高），降噪后仍无法达到照片文件大小要求：请补光后重拍",
                       "the picture is too grainy (too little light, or the camera's gain too high) to fit the file "
                       "size even with noise reduction: add light and shoot again"),
    "out_of_spec": Text("裁剪结果不符合学信网规格", "the cropped photo does not meet the CHSI spec"),
}


# What the photo made failed when the CHSI check measured it (station/chsi/verify.py's problem codes), said after
# "out_of_spec": the codes themselves (several_faces, hair_top_y) went on screen in the photographer's message.
PROBLEMS: dict[str, Text] = {
    "unreadable": Text("无法读取", "unreadable"), "not_jpeg": Text("不是 JPEG", "not a JPEG"),
    "dimensions": Text("尺寸不符", "wrong size"), "not_24bit_colour": Text("不是 24 位彩色", "not 24-bit colour"),
    "file_size": Text("文件大小不在范围内", "file size out of range"), "dpi": Text("分辨率（DPI）不符", "wrong DPI"),
    "metadata": Text("含有不允许的附加信息", "extra data not allowed"), "no_face": Text("未检测到人脸", "no face"),
    "several_faces": Text("多张人脸", "several faces"), "hair_top_y": Text("头顶位置不符", "hair top out of range"),
    "eyes_y": Text("眼睛高度不符", "eye line out of range"), "face_width": Text("脸宽不符", "face width out of range"),
    "roll": Text("头部歪斜", "head tilted"), "not_centred": Text("脸不居中", "face not centred"),
    "orientation": Text("方向不正", "sideways or upside down"),
}
PEOPLE = Text("画面中 {n} 人", "{n} people in view")
PROPORTIONS = Text("脸宽 {width} 像素，头顶到眼睛 {rise} 像素", "face {width} px, hair top to eyes {rise} px")


def problems_said(problems: list[str]) -> Text:
    """The CHSI check's problem codes in words (an unknown code as it is)."""
    said = [PROBLEMS.get(code, Text(code, code)) for code in problems]
    return Text("、".join(t.zh for t in said), ", ".join(t.en for t in said))


# "out_of_frame" with the edges the ideal crop crosses, as the picture on screen shows them (the camera's
# picture is not mirrored: its left is the photographer's left).
OUT_OF_FRAME_AT = Text("照片范围超出相机画面的{sides}边缘，请后退或站到中央",
                       "the photo would reach beyond the {sides} edge of the camera frame: step back or to the centre")
SIDES = {"left": Text("左", "left"), "right": Text("右", "right"), "top": Text("上", "top"),
         "bottom": Text("下", "bottom")}


@dataclass(frozen=True)
class CropRefusal:
    reason: str
    detail: Text | None = None
    sides: tuple[str, ...] = ()  # for "out_of_frame": which edges of the frame the crop would cross

    @property
    def text(self) -> Text:
        if self.sides:
            return OUT_OF_FRAME_AT.format(sides=Text("、".join(SIDES[s].zh for s in self.sides),
                                                     " and ".join(SIDES[s].en for s in self.sides)))
        base = REASONS[self.reason]
        return Text(f"{base.zh}（{self.detail.zh}）", f"{base.en} ({self.detail.en})") if self.detail else base


@dataclass(frozen=True)
class CropPlan:
    """Where the face lands in the 480x640 output, and the warp that puts it there."""

    matrix: np.ndarray  # 2x3, source pixels -> output pixels
    scale: float  # output pixels per source pixel
    roll_deg: float  # roll of the face in the source, corrected by the plan
    hair_top_y: float
    eyes_y: float
    face_width: float
    centre_x: float
    hair_from_segmentation: bool

    def refined(self, face: FaceGeometry, hair: HairTop, spec: ChsiSpec = SPEC) -> "CropPlan":
        """The plan corrected by what is measured on its own output.

        The mesh and the segmentation see the enlarged output better than the camera frame,
        so one round (level the eyes again, rescale the hair-to-eye distance to the plan's,
        put the eye line and the face centre where the plan wanted them) lands the measured
        values on the planned ones. The rescale never takes the face width out of its range.
        """
        rise = face.eye_centre[1] - hair.y
        factor = (self.eyes_y - self.hair_top_y) / rise if rise > 1 else 1.0
        width_lo, width_hi = spec.face_width.low + SAFETY_PX, spec.face_width.high - SAFETY_PX
        factor = float(np.clip(factor, width_lo / face.face_width, width_hi / face.face_width))
        ex, ey = face.eye_centre
        turn = cv2.getRotationMatrix2D((ex, ey), face.roll_deg, factor)
        # After the turn and rescale about the eye centre, move the eye centre to the planned row and
        # the face centre to the planned column.
        centre = turn @ np.array([face.centre_x, ey, 1.0])
        turn[0, 2] += self.centre_x - centre[0]
        turn[1, 2] += self.eyes_y - ey
        matrix = (np.vstack([turn, [0.0, 0.0, 1.0]]) @ np.vstack([self.matrix, [0.0, 0.0, 1.0]]))[:2]
        return CropPlan(matrix, self.scale * factor, self.roll_deg + face.roll_deg, self.hair_top_y,
                        self.eyes_y, face.face_width * factor, self.centre_x, hair.from_segmentation)

    def corners(self, spec: ChsiSpec = SPEC) -> np.ndarray:
        """The photo's four corners in the source's pixels, clockwise from its top left: what the crop keeps."""
        inverse = cv2.invertAffineTransform(self.matrix)
        w, h = spec.width, spec.height
        return np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64) @ inverse[:, :2].T + inverse[:, 2]

    def shows(self, box: tuple[float, float, float, float]) -> bool:
        """Whether any part of `box` (x, y, width, height in the source's pixels) is in the photo."""
        x, y, w, h = box
        rect = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
        area, _ = cv2.intersectConvexConvex(rect, self.corners().astype(np.float32))
        return area > 0

    def for_source_scaled(self, factor: float) -> "CropPlan":
        """The same plan for a source `1/factor` times the size it was planned on (analysis copy -> original)."""
        m = self.matrix @ np.diag([factor, factor, 1.0])
        return CropPlan(m, self.scale * factor, self.roll_deg, self.hair_top_y, self.eyes_y,
                        self.face_width, self.centre_x, self.hair_from_segmentation)


def level_rotation(face: FaceGeometry) -> np.ndarray:
    """2x3 rotation about the eye centre that makes the eye line horizontal, right eye on the left."""
    return cv2.getRotationMatrix2D(face.eye_centre, face.roll_deg, 1.0)


def _affine_inverse(m: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(m)


def _inside(points: np.ndarray, size: tuple[int, int], margin: float = 0.0) -> np.ndarray:
    """Whether every point of each set (..., n, 2) lies in the frame grown by `margin`: one answer per set."""
    width, height = size
    x, y = points[..., 0], points[..., 1]
    return ((x >= -margin) & (x <= width + margin) & (y >= -margin) & (y <= height + margin)).all(axis=-1)


def _crossed(points: np.ndarray, size: tuple[int, int]) -> tuple[str, ...]:
    """The frame edges these points lie beyond."""
    width, height = size
    return tuple(side for side, out in (("left", points[:, 0].min() < 0), ("right", points[:, 0].max() > width),
                                        ("top", points[:, 1].min() < 0), ("bottom", points[:, 1].max() > height))
                 if out)


def _to_source(rotation: np.ndarray, points: np.ndarray) -> np.ndarray:
    inv = _affine_inverse(rotation)
    return points @ inv[:, :2].T + inv[:, 2]


def plan_levelled(face: FaceGeometry, hair: HairTop, rotation: np.ndarray, source_size: tuple[int, int],
                  roll_deg: float, spec: ChsiSpec = SPEC) -> CropPlan | CropRefusal:
    """Plan on a face already in levelled coordinates (`rotation` maps source -> levelled)."""
    margin = EDGE_MARGIN * face.face_width
    head = np.array([face.right_cheek, face.left_cheek, face.chin, (face.centre_x, hair.y)], dtype=np.float64)
    if hair.touches_edge or not _inside(_to_source(rotation, head), source_size, -margin):
        return CropRefusal("head_cut_off")

    width = face.face_width
    rise = face.eye_centre[1] - hair.y  # hair top to eye line, source px
    if width <= 1 or rise <= 1:
        return CropRefusal("no_face")
    m = SAFETY_PX
    fw, hy, ey = spec.face_width, spec.hair_top_y, spec.eyes_y
    rise_lo, rise_hi = (ey.low + m) - (hy.high - m), (ey.high - m) - (hy.low + m)
    s_lo = max((fw.low + m) / width, rise_lo / rise)
    s_hi = min((fw.high - m) / width, rise_hi / rise)
    if s_lo > s_hi:
        return CropRefusal("proportions", PROPORTIONS.format(width=f"{width:.0f}", rise=f"{rise:.0f}"))
    if s_lo > spec.max_upscale:
        return CropRefusal("face_too_small")
    # Weighted least squares towards the middles of face width and hair-to-eyes distance.
    w_half, r_half = (fw.high - fw.low) / 2, (rise_hi - rise_lo) / 2
    target_rise = ey.middle - hy.middle
    s_pref = ((width * fw.middle / w_half**2 + rise * target_rise / r_half**2)
              / (width**2 / w_half**2 + rise**2 / r_half**2))
    s_pref = float(np.clip(s_pref, s_lo, min(s_hi, spec.max_upscale)))

    candidates = _candidates(s_pref, s_lo, min(s_hi, spec.max_upscale), rise, spec)
    # every candidate photo's corners at once (up to 200 of them, each 4 corners: 2 ms one by one, most of a plan's
    # time on a photo framed too tightly for any)
    scale, hair_y, offset = np.array(candidates, np.float64).reshape(-1, 3).T
    x0, y0 = face.centre_x - (spec.width / 2 + offset) / scale, hair.y - hair_y / scale
    x1, y1 = x0 + spec.width / scale, y0 + spec.height / scale
    corners = np.stack([x0, y0, x1, y0, x0, y1, x1, y1], axis=-1).reshape(-1, 2)
    in_source = _to_source(rotation, corners).reshape(-1, 4, 2)
    fits = np.flatnonzero(_inside(in_source, source_size))
    if not len(fits):
        return CropRefusal("out_of_frame", sides=next(filter(None, (_crossed(c, source_size) for c in in_source)), ()))
    scale, hair_y, offset = candidates[fits[0]]  # the best that fits
    x0, y0 = face.centre_x - (spec.width / 2 + offset) / scale, hair.y - hair_y / scale
    crop = np.array([[scale, 0.0, -scale * x0], [0.0, scale, -scale * y0], [0.0, 0.0, 1.0]])
    matrix = (crop @ np.vstack([rotation, [0.0, 0.0, 1.0]]))[:2]
    return CropPlan(
        matrix=matrix, scale=scale, roll_deg=roll_deg, hair_top_y=hair_y,
        eyes_y=hair_y + rise * scale, face_width=width * scale,
        centre_x=spec.width / 2 + offset, hair_from_segmentation=hair.from_segmentation,
    )


def _candidates(s_pref: float, s_lo: float, s_hi: float, rise: float, spec: ChsiSpec):
    """Scale, hair-top row and horizontal offset, best (closest to the middles) first."""
    scales = sorted({s_pref, *np.linspace(s_lo, s_hi, 7)}, key=lambda s: abs(s - s_pref))
    offsets = sorted(np.linspace(-spec.max_centre_offset_px + 2, spec.max_centre_offset_px - 2, 5), key=abs)
    found = []
    for scale in scales:
        lo = max(spec.hair_top_y.low + SAFETY_PX, spec.eyes_y.low + SAFETY_PX - rise * scale)
        hi = min(spec.hair_top_y.high - SAFETY_PX, spec.eyes_y.high - SAFETY_PX - rise * scale)
        if lo > hi:
            continue
        mid = (lo + hi) / 2
        rows = sorted(np.linspace(lo, hi, 5), key=lambda y: abs(y - mid))
        found.extend(itertools.product([scale], rows, offsets))
    return found


def head_region(face: FaceGeometry, rotation: np.ndarray, source_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """x, y, width, height (levelled pixels) of the box the hair top is looked for in: the levelled
    frame's extent, cut to HEAD_REGION around the face. Its top lies above any plausible hair top
    (PLAUSIBLE_HAIR), so a person reaching it is a frame edge or an implausible answer, as before."""
    width, height = source_size
    corners = np.array([[0, 0, 1], [width, 0, 1], [0, height, 1], [width, height, 1]], np.float64) @ rotation.T
    half, above, below = (HEAD_REGION[0] * face.face_width, HEAD_REGION[1] * face.face_height,
                          HEAD_REGION[2] * face.face_height)
    x0 = max(corners[:, 0].min(), face.centre_x - half)
    x1 = min(corners[:, 0].max(), face.centre_x + half)
    y0 = max(corners[:, 1].min(), face.forehead[1] - above)
    y1 = min(corners[:, 1].max(), face.chin[1] + below)
    x0, y0 = int(np.floor(x0)), int(np.floor(y0))
    return x0, y0, max(1, int(np.ceil(x1)) - x0), max(1, int(np.ceil(y1)) - y0)


def hair_in_head_region(finder: HairTopFinder, bgr: np.ndarray, face: FaceGeometry, rotation: np.ndarray) -> HairTop:
    """The hair top in levelled coordinates (`rotation`: source -> levelled). Only the head's surroundings
    are levelled and segmented, at no more than HEAD_REGION_SIDE pixels (the segmentation model sees
    256x256 anyway): a live frame re-plans its crop in a few ms, not tens."""
    height, width = bgr.shape[:2]
    x0, y0, roi_w, roi_h = head_region(face.transformed(rotation), rotation, (width, height))
    shrink = min(1.0, HEAD_REGION_SIDE / max(roi_w, roi_h))
    to_roi = shrink * rotation
    to_roi[:, 2] -= (shrink * x0, shrink * y0)
    size = (max(1, round(roi_w * shrink)), max(1, round(roi_h * shrink)))
    region = cv2.warpAffine(bgr, to_roi, size, flags=cv2.INTER_LINEAR)
    valid = cv2.warpAffine(np.ones((height, width), np.uint8), to_roi, size, flags=cv2.INTER_NEAREST, borderValue=0)
    found = finder.find(region, face.transformed(to_roi), valid)
    return replace(found, y=found.y / shrink + y0)


class CropPlanner:
    """Plans the CHSI crop for one face in a BGR image. Holds a segmentation graph: one per thread."""

    def __init__(self, spec: ChsiSpec = SPEC) -> None:
        self.spec = spec
        self.hair = HairTopFinder()

    def plan(self, bgr: np.ndarray, face: Face) -> CropPlan | CropRefusal:
        geom = FaceGeometry.from_points(face.points)
        rotation = level_rotation(geom)
        height, width = bgr.shape[:2]
        upright = geom.transformed(rotation)
        hair = hair_in_head_region(self.hair, bgr, geom, rotation)
        return plan_levelled(upright, hair, rotation, (width, height), geom.roll_deg, self.spec)

    def close(self) -> None:
        self.hair.close()


def apply_plan(bgr: np.ndarray, plan: CropPlan, spec: ChsiSpec = SPEC) -> np.ndarray:
    """The 480x640 3-channel crop. Large reductions are pre-shrunk with area averaging (no aliasing)."""
    bgr = as_bgr(bgr)
    matrix = plan.matrix
    if plan.scale < 0.7:
        shrink = min(1.0, plan.scale * 1.4)
        bgr = cv2.resize(bgr, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        matrix = matrix @ np.diag([1 / shrink, 1 / shrink, 1.0])
    interp = cv2.INTER_CUBIC if plan.scale > 1 else cv2.INTER_LINEAR
    return cv2.warpAffine(bgr, matrix, (spec.width, spec.height), flags=interp, borderMode=cv2.BORDER_REPLICATE)

