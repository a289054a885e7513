"""Synthetic resident ID cards held up to a 1280x720 webcam: varied fonts, layouts, tilt, perspective, light, blur.

Only the system's fonts are used (fonts-noto-cjk, which the station installs, and DejaVu / Liberation / URW
where present). A thumb may cover half of the number: such a card is unreadable by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from station.fonts import cjk_font_path
from station.roster.idnumber import check_digit

FRAME = (1280, 720)
_CARD = (856, 540)  # 85.6 x 54 mm at 10 px/mm
_DIGIT_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/opentype/urw-base35/NimbusMonoPS-Bold.otf", "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf",
]
_CJK_FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2), ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文利飞斌宇浩凯健俊帆帅旭宁欣雪梅琳晨"
_REGIONS = ["110105", "310104", "440106", "330106", "510107", "420111", "320102", "610113", "210102", "370202"]


@dataclass(frozen=True)
class HeldCard:
    frame: np.ndarray  # BGR 1280x720
    id_number: str
    name: str
    thumb: bool  # the number is half covered: unreadable by construction
    card_width: int


def random_id_number(rng: random.Random) -> str:
    born = f"{rng.randint(1998, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 = rng.choice(_REGIONS) + born + f"{rng.randint(0, 999):03d}"
    return first17 + check_digit(first17)


def one_digit_neighbours(number: str, count: int, rng: random.Random) -> list[str]:
    """Valid numbers that differ from `number` in one sequence digit: classmates born the same day in the same district."""
    out: list[str] = []
    while len(out) < count:
        pos = rng.choice((14, 15, 16))
        digit = rng.choice([d for d in "0123456789" if d != number[pos]])
        first17 = number[:pos] + digit + number[pos + 1:17]
        candidate = first17 + check_digit(first17)
        if candidate not in out:
            out.append(candidate)
    return out


def random_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _font(path: str, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
    if not Path(path).is_file():
        fallback = cjk_font_path()
        if fallback is None:
            return ImageFont.load_default(size)
        path, index = str(fallback), 0
    return ImageFont.truetype(path, size, index=index)


def render_card(id_number: str, name: str, rng: random.Random) -> np.ndarray:
    """The card's portrait side, flat, 856x540 BGR, in one of a few layouts."""
    w, h = _CARD
    tint = np.array([rng.randint(225, 250), rng.randint(228, 250), rng.randint(215, 245)], np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    wave = 6 * np.sin(xx / rng.uniform(18, 40) + np.sin(yy / rng.uniform(25, 60)) * 2)
    card = np.clip(tint[None, None, :] + wave[..., None] - yy[..., None] / h * 12, 0, 255).astype(np.uint8)
    image = Image.fromarray(card)
    draw = ImageDraw.Draw(image)
    cjk_path, cjk_index = rng.choice(_CJK_FONTS)
    label, value = _font(cjk_path, rng.randint(24, 30), cjk_index), _font(cjk_path, rng.randint(32, 40), cjk_index)
    grey, ink = (rng.randint(60, 110),) * 3, (rng.randint(0, 40),) * 3
    left, top = rng.randint(40, 70), rng.randint(40, 70)
    draw.text((left, top), "姓名", font=label, fill=grey)
    draw.text((left + 90, top - 4), name, font=value, fill=ink)
    draw.text((left, top + 70), "性别", font=label, fill=grey)
    draw.text((left + 90, top + 66), rng.choice("男女"), font=value, fill=ink)
    draw.text((left + 200, top + 70), "民族", font=label, fill=grey)
    draw.text((left + 290, top + 66), "汉", font=value, fill=ink)
    draw.text((left, top + 135), "出生", font=label, fill=grey)
    draw.text((left + 90, top + 131), f"{id_number[6:10]} 年 {int(id_number[10:12])} 月 {int(id_number[12:14])} 日",
              font=value, fill=ink)
    draw.text((left, top + 200), "住址", font=label, fill=grey)
    draw.text((left + 90, top + 196), "某某省某某市某某区", font=value, fill=ink)
    draw.text((left + 90, top + 240), f"某某路{rng.randint(1, 300)}号", font=value, fill=ink)
    draw.rectangle((w - 290, 70, w - 60, 360), fill=(205, 210, 215))  # the photo
    draw.ellipse((w - 230, 120, w - 120, 250), fill=(150, 155, 160))
    # the card's layout fixes the number's length (about half the card) whatever the font
    digit_font, spacing = rng.choice(_DIGIT_FONTS), rng.choice((0, 0, 2, 4))
    size = 40
    natural = draw.textlength(id_number, font=_font(digit_font, size)) + 17 * spacing
    digits = _font(digit_font, round(size * (rng.uniform(0.50, 0.56) * w - 17 * spacing) / (natural - 17 * spacing)))
    if rng.random() < 0.7:  # label and number on one line, as on the card
        y = rng.randint(430, 465)
        draw.text((left, y + 6), "公民身份号码", font=label, fill=grey)
        x = left + rng.randint(200, 230)
    else:  # label above the number (some card photos, copies)
        y = rng.randint(440, 470)
        draw.text((left, y - 46), "公民身份号码", font=label, fill=grey)
        x = left + rng.randint(0, 60)
    for ch in id_number:
        draw.text((x, y), ch, font=digits, fill=ink)
        x += draw.textlength(ch, font=digits) + spacing
    return cv2.cvtColor(np.array(image), cv2.COLOR_RGB2BGR)


def hold_up(card: np.ndarray, width: int, rng: random.Random, thumb: bool = False,
            behind: list[tuple[np.ndarray, int]] = ()) -> np.ndarray:
    """The card tilted up to 15 degrees, in perspective, in an unevenly lit, slightly blurred room;
    `behind` are (card, width) lying further back in the room, placed first."""
    scene = _room(rng)
    for far_card, far_width in behind:
        _place(scene, far_card, far_width, rng)
    if thumb:
        card = card.copy()
        ch, cw = card.shape[:2]
        cx, cy = rng.randint(int(cw * 0.45), int(cw * 0.7)), rng.randint(int(ch * 0.8), int(ch * 0.95))
        cv2.ellipse(card, (cx, cy), (int(cw * 0.16), int(ch * 0.2)), rng.uniform(-30, 30), 0, 360,
                    (rng.randint(120, 170), rng.randint(150, 190), rng.randint(190, 230)), -1)
    _place(scene, card, width, rng)
    light = _uneven_light(rng)
    frame = np.clip(scene.astype(np.float32) * light[..., None], 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.3, 1.2)
    frame = cv2.GaussianBlur(frame, (0, 0), sigma)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 3, frame.shape)
    frame = np.clip(frame + noise, 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(70, 92)])
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def _place(scene: np.ndarray, card: np.ndarray, width: int, rng: random.Random) -> None:
    fw, fh = FRAME
    ch, cw = card.shape[:2]
    height = width * ch / cw
    angle = np.deg2rad(rng.uniform(-15, 15))
    cx = rng.uniform(width / 2 + 20, fw - width / 2 - 20)
    cy = rng.uniform(min(height / 2 + 20, fh / 2), max(fh - height / 2 - 20, fh / 2))
    corners = np.array([[-width / 2, -height / 2], [width / 2, -height / 2], [width / 2, height / 2], [-width / 2, height / 2]])
    skew = rng.uniform(-0.08, 0.08)  # one side nearer the camera than the other
    corners[:, 1] *= 1 + skew * np.sign(corners[:, 0])
    corners += np.array([[rng.uniform(-0.03, 0.03) * width for _ in range(2)] for _ in range(4)])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = (corners @ rot.T + [cx, cy]).astype(np.float32)
    src = np.float32([[0, 0], [cw, 0], [cw, ch], [0, ch]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, matrix, FRAME, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), matrix, FRAME) > 127
    scene[mask] = warped[mask]


def _room(rng: random.Random) -> np.ndarray:
    fw, fh = FRAME
    base = np.array([rng.randint(60, 180) for _ in range(3)], np.float32)
    yy = np.linspace(0, 1, fh, dtype=np.float32)[:, None, None]
    room = np.broadcast_to(base * (0.8 + 0.4 * yy), (fh, fw, 3)).copy()
    for _ in range(rng.randint(2, 6)):  # furniture, a door, a shirt
        x, y = rng.randint(0, fw - 50), rng.randint(0, fh - 50)
        cv2.rectangle(room, (x, y), (x + rng.randint(50, 500), y + rng.randint(50, 400)),
                      [rng.randint(20, 235) for _ in range(3)], -1)
    return room.astype(np.uint8)


def _uneven_light(rng: random.Random) -> np.ndarray:
    fw, fh = FRAME
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    gx, gy = rng.uniform(-0.5, 0.5), rng.uniform(-0.3, 0.3)
    light = 1 + gx * (xx / fw - 0.5) + gy * (yy / fh - 0.5)
    if rng.random() < 0.5:  # a window or lamp: a bright patch
        lx, ly, r = rng.uniform(0, fw), rng.uniform(0, fh), rng.uniform(150, 400)
        light += 0.35 * np.exp(-((xx - lx) ** 2 + (yy - ly) ** 2) / (2 * r * r))
    return light * rng.uniform(0.6, 1.1)


def held_card(rng: random.Random, width: int | None = None, thumb: bool = False,
              id_number: str | None = None, name: str | None = None,
              behind: list[tuple[str, str, int]] = ()) -> HeldCard:
    """A frame of one card held up; `behind` are (id number, name, width) of cards further back."""
    id_number = id_number or random_id_number(rng)
    name = name or random_name(rng)
    width = width or rng.randint(380, 700)
    far = [(render_card(n, who, rng), w) for n, who, w in behind]
    frame = hold_up(render_card(id_number, name, rng), width, rng, thumb, far)
    return HeldCard(frame, id_number, name, thumb, width)
