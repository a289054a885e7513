"""The instructions drawn over the live picture stay off the head and the crop frame, and show whole."""

from __future__ import annotations

from functools import reduce

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF

from station.compliance.messages import INSTRUCTIONS
from ui.overlay import MARGIN, place_instructions

PICTURE = QRectF(0, 80, 836, 470)  # a 16:9 frame letter-boxed in the preview of a 1280x720 laptop
CROP = QRectF(290, 90, 290, 380)  # the CHSI crop frame around a centred student


def english(*checks: str) -> list[str]:
    return [INSTRUCTIONS[c].en for c in checks]


def painted(analysis, size: tuple[int, int], shown: tuple[int, int] | None = None, fill: int = 0):
    """The overlay of `analysis` (a frame of `size`) painted over a plain `shown`-sized picture: its BGRA pixels."""
    import numpy as np
    from PySide6.QtGui import QImage, QPainter

    from station.capture.live_checks import LiveResult
    from ui.overlay import paint_overlay

    shown = shown or size
    image = QImage(*shown, QImage.Format_RGB32)
    image.fill(fill)
    painter = QPainter(image)
    paint_overlay(painter, LiveResult(1, size, analysis), QRectF(0, 0, *shown))
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(shown[1], shown[0], 4).copy()


def test_long_instructions_go_beside_the_crop_frame_and_show_whole(qtbot) -> None:
    problems = english("teeth", "eyebrows_covered", "hat", "earrings")
    placed = place_instructions(problems, PICTURE, CROP, QFont())
    assert not placed.box.intersects(CROP)  # hair, ears and the crop line stay in sight
    assert PICTURE.contains(placed.box)
    metrics = QFontMetricsF(placed.font)
    for text, rect in zip(placed.texts, placed.lines):
        assert placed.box.contains(rect)
        needed = metrics.boundingRect(QRectF(0, 0, rect.width(), 10_000), 0x1000, text)  # Qt.TextWordWrap
        assert needed.height() <= rect.height() + 0.5  # every word drawn, none cut
    assert all(a.bottom() <= b.top() for a, b in zip(placed.lines, placed.lines[1:]))  # no two overlap


def test_the_side_with_more_room_is_used(qtbot) -> None:
    off_right = QRectF(520, 90, 240, 380)  # the student stands right of centre
    placed = place_instructions(english("teeth"), PICTURE, off_right, QFont())
    assert placed.box.right() <= off_right.left() - MARGIN + 0.5


def test_without_a_crop_or_room_beside_it_the_top_left_corner(qtbot) -> None:
    for crop in (None, QRectF(100, 90, 640, 380)):  # no face planned yet; a student too close to the camera
        placed = place_instructions(english("face_count"), PICTURE, crop, QFont())
        assert (placed.box.left(), placed.box.top()) == (PICTURE.left() + MARGIN, PICTURE.top() + MARGIN)


def test_chinese_breaks_after_its_comma_when_it_must_wrap(qtbot) -> None:
    narrow = QRectF(0, 80, 560, 470)  # the preview on a 1280x720 laptop, the student a little right of centre
    crop = QRectF(250, 90, 250, 380)
    teeth = INSTRUCTIONS["teeth"].zh  # 请闭上嘴巴，不要露出牙齿
    placed = place_instructions([teeth, INSTRUCTIONS["hat"].zh], narrow, crop, QFont())
    assert placed.texts[0] == "请闭上嘴巴，\n不要露出牙齿"  # not 不要露 / 出牙齿
    metrics = QFontMetricsF(placed.font)
    assert all(metrics.horizontalAdvance(line) <= placed.lines[0].width() for line in placed.texts[0].split("\n"))
    roomy = place_instructions([teeth], PICTURE, CROP, QFont())
    assert roomy.texts == [teeth]  # one line where it fits


def test_a_question_outlines_its_region_in_amber_and_a_pass_stays_green(qtbot) -> None:
    import cv2

    from station import ASSETS_DIR
    from station.compliance import ComplianceEngine
    from station.compliance.messages import QUESTION, TITLES
    from station.compliance.regions import rule_regions
    from station.compliance.results import LOOK, CheckResult

    frame = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    with ComplianceEngine.load() as engine:
        analysis = engine.analyze(frame)
    asked = CheckResult(0.4, LOOK, QUESTION.format(title=TITLES["earrings"]))
    cases = {"asked": {**analysis.checks, "earrings": asked}, "quiet": analysis.checks}
    size = (frame.shape[1], frame.shape[0])
    for name, checks in cases.items():
        pixels = painted(type(analysis)(**{**analysis.__dict__, "checks": checks}), size)
        amber = (pixels[:, :, 2] == 255) & (pixels[:, :, 1] == 179) & (pixels[:, :, 0] == 0)  # BGRA
        x, y, w, h = (round(v) for v in rule_regions("earrings", analysis.face)[0])
        assert amber[y - 3:y + h + 3, x - 3:x + w + 3].any() == (name == "asked"), name


def test_question_labels_stay_inside_the_picture_and_clear_of_each_other(qtbot) -> None:
    """Both ear lobes and the neck sit close: their labels were written over each other and, for a lobe at
    the picture's edge, cut off."""
    from ui.overlay import place_label

    left_lobe = QRectF(PICTURE.left() + 2, PICTURE.top() + 5, 40, 40)  # at the top-left edge of the picture
    right_lobe = QRectF(PICTURE.right() - 30, 300, 40, 40)  # running past the right edge
    neck = QRectF(PICTURE.right() - 60, 302, 120, 60)  # just beside the right lobe
    taken: list[QRectF] = []
    for box in (left_lobe, right_lobe, neck, neck):
        label = place_label(box, (150, 24), PICTURE, taken)
        assert PICTURE.contains(label)
        assert not any(label.intersects(other) for other in taken)
        taken.append(label)
    assert taken[0].top() >= left_lobe.bottom()  # no room above: below its region


def test_question_labels_stay_clear_of_the_instructions(qtbot) -> None:
    """A long English question ("hat or head covering? please check by eye") ran under the instructions' box
    beside the crop frame, where neither could be read."""
    from ui.overlay import place_label

    instructions = QRectF(588, 96, 232, 340)  # right of the crop frame, as on a 1280x720 laptop
    regions = (QRectF(352, 170, 150, 105), QRectF(338, 275, 30, 55), QRectF(390, 325, 75, 40))  # hat, ear, mouth
    taken: list[QRectF] = []
    for region in regions:
        label = place_label(region, (360, 24), PICTURE, taken, [instructions])
        assert PICTURE.contains(label) and not label.intersects(instructions)
        assert not any(label.intersects(other) for other in taken)
        taken.append(label)


def labels_over(checks: tuple[str, ...], shown: tuple[int, int], boxed_in: bool = False):
    """The demo student's frame with `checks` asked, its overlay painted over a white `shown`-sized picture: the
    labels found in its pixels, the questions' outlines as drawn there, and the pixels (BGRA). `boxed_in`: only the
    labelled outlines drawn, every label kept off all of the picture but the outlines themselves (no room elsewhere)."""
    import cv2
    import numpy as np
    from PySide6.QtGui import QImage, QPainter

    from station import ASSETS_DIR
    from station.capture.live_checks import LiveResult
    from station.compliance import ComplianceEngine
    from station.compliance.messages import QUESTION, TITLES
    from station.compliance.regions import rule_regions
    from station.compliance.results import LOOK, CheckResult
    from ui.overlay import paint_labelled

    frame = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    with ComplianceEngine.load() as engine:
        analysis = engine.analyze(frame)
    asked = {check: CheckResult(0.4, LOOK, QUESTION.format(title=TITLES[check])) for check in checks}
    analysis = type(analysis)(**{**analysis.__dict__, "checks": {**analysis.checks, **asked}})
    size = (frame.shape[1], frame.shape[0])
    scale = shown[0] / size[0]
    outlines = [QRectF(*(v * scale for v in region)) for check, _ in analysis.questions
                for region in rule_regions(check, analysis.face)]  # her smile asks about her teeth already
    if boxed_in:
        picture, face = QRectF(0, 0, *shown), reduce(QRectF.united, outlines)
        around = [QRectF(0, 0, shown[0], face.top()), QRectF(0, face.bottom(), shown[0], shown[1] - face.bottom()),
                  QRectF(0, 0, face.left(), shown[1]), QRectF(face.right(), 0, shown[0] - face.right(), shown[1])]
        image = QImage(*shown, QImage.Format_RGB32)
        image.fill(0xFFFFFF)
        painter = QPainter(image)
        paint_labelled(painter, LiveResult(1, size, analysis), picture, [r & picture for r in around])
        painter.end()
        pixels = np.frombuffer(image.constBits(), np.uint8).reshape(shown[1], shown[0], 4).copy()
    else:
        pixels = painted(analysis, size, shown, 0xFFFFFF)
    # a label's background (black at 170/255) leaves a third of the red beneath it: 85 over white and over amber
    under_label = (np.abs(pixels[:, :, 2].astype(int) - 85) <= 3).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(under_label)
    labels = [QRectF(x, y, w, h) for x, y, w, h, area in stats[1:count] if area > 300 and w > 60]
    return labels, outlines, pixels


def test_question_labels_lie_over_every_outline(qtbot) -> None:
    """Ear lobes sit beside the mouth: an ear's outline, drawn after the mouth's question, ran through its text.
    Every outline is drawn first, so where a label has no room off the outlines, no outline shows through the top
    edge of any label."""
    labels, outlines, pixels = labels_over(("ears_covered", "teeth"), (836, 470), boxed_in=True)
    assert any(label.intersects(outline) for label in labels for outline in outlines)  # they do cross here
    amber = (pixels[:, :, 2] == 255) & (pixels[:, :, 1] == 179) & (pixels[:, :, 0] == 0)  # BGRA
    assert not any(amber[int(label.top()) + 1, int(label.left()):int(label.right())].any() for label in labels)


@pytest.mark.parametrize("checks", [("earrings", "teeth"), ("earrings", "ears_covered"), ("necklace", "glasses"),
                                    ("ears_covered", "teeth")])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_questions_labels_cover_neither_each_other_nor_an_outline(qtbot, checks: tuple[str, ...],
                                                                      lang: str) -> None:
    """Two questions on screen at once: 耳环？请目视确认 lay over the mouth's outline, or a lobe's over the other
    question's (s29). Where the picture has room, each label stands clear of every outline and of the other labels."""
    from ui.i18n import language, set_language

    before = language()
    set_language(lang)
    try:
        shown = (round(PICTURE.width()), round(PICTURE.height()))  # a 1280x720 laptop's picture
        labels, outlines, _ = labels_over(checks, shown)
    finally:
        set_language(before)
    assert len(labels) >= len(checks), labels
    picture = QRectF(0, 0, *shown)
    assert all(picture.contains(label) for label in labels)
    assert not [(label, outline) for label in labels for outline in outlines if label.intersects(outline)]
    assert not [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if a.intersects(b)]


def test_a_phone_in_the_photo_is_outlined_in_red_and_one_near_it_in_amber(qtbot, engine) -> None:
    from PySide6.QtGui import QColor

    from station.compliance.regions import check_regions
    from tests.compliance.test_code_in_photo import FAR_OUTSIDE, INSIDE, JUST_OUTSIDE, clean_frame_with
    from ui.overlay import LOOK
    from ui.theme import BAD

    red, amber = QColor(BAD), LOOK
    for place, colour in ((INSIDE, red), (JUST_OUTSIDE, amber), (FAR_OUTSIDE, None)):
        frame = clean_frame_with(place)
        analysis = engine.analyze(frame)
        size = (frame.shape[1], frame.shape[0])
        pixels = painted(analysis, size)
        (left, top), code_px = place
        around = pixels[top - 10:top + code_px + 40, left - 10:left + code_px + 30]
        for wanted in (red, amber):
            drawn = ((around[:, :, 2] == wanted.red()) & (around[:, :, 1] == wanted.green())
                     & (around[:, :, 0] == wanted.blue())).any()
            assert drawn == (wanted == colour), (place, wanted.name())
        if colour is not None:
            [(x, y, w, h)] = check_regions("code_in_photo", analysis)
            assert x < left + code_px / 8 + 4 and x + w > left + code_px  # drawn around the code, clear of it


def test_a_chinese_phrase_too_long_for_its_line_takes_a_smaller_font_rather_than_break(qtbot) -> None:
    # seen on a 1366x768 display: 画面中有手机/二维 / 码， / 请移出画面 beside the crop frame, at 18 pt
    crop = QRectF(290, 90, 330, 380)  # the room right of the crop: narrower than 画面中有手机/二维码， at 18 pt
    problems = [INSTRUCTIONS["code_in_photo"].zh, INSTRUCTIONS["lighting"].zh]
    placed = place_instructions(problems, PICTURE, crop, QFont())
    assert placed.texts[0] == "画面中有手机/二维码，\n请移出画面"
    metrics = QFontMetricsF(placed.font)
    for text, rect in zip(placed.texts, placed.lines):
        assert all(metrics.horizontalAdvance(line) <= rect.width() for line in text.split("\n"))
        assert metrics.boundingRect(QRectF(0, 0, rect.width(), 10_000), 0x1000, text).height() <= rect.height() + 0.5


def test_a_new_face_settling_gets_no_colour_and_no_word(qtbot, engine) -> None:
    """For its first analyses a new face or view says nothing (station.compliance.live): neither the live picture's
    frame nor the side panel shows a colour, a ✓ or 全部通过, only – until its checks have held."""
    import cv2
    from PySide6.QtGui import QColor

    from station import ASSETS_DIR
    from station.compliance.live import settling
    from ui.check_board import ALL_PASS, UNMEASURED, CheckBoard
    from ui.i18n import t
    from ui.overlay import LOOK
    from ui.theme import BAD, OK

    frame = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "01_good.jpg"))
    said = engine.analyze(frame)
    quiet = type(said)(**{**said.__dict__, "checks": {c: settling(r) for c, r in said.checks.items()}})
    board = CheckBoard()
    qtbot.addWidget(board)
    size = (frame.shape[1], frame.shape[0])
    for analysis, coloured in ((said, True), (quiet, False)):
        pixels = painted(analysis, size)
        edge = pixels[4:6, 100:-100]  # the frame's border, drawn 6 px wide around the picture
        colours = [QColor(OK), QColor(BAD), LOOK]
        drawn = any(((edge[:, :, 2] == c.red()) & (edge[:, :, 1] == c.green()) & (edge[:, :, 0] == c.blue())).any()
                    for c in colours)
        assert drawn == coloured
        board.show_analysis(analysis)
        marks = {chip.full_text.split()[0] for chip in board.chips.values()}
        assert (marks == {UNMEASURED[0]}) == (not coloured)
        assert bool(board.problems.text()) == coloured  # 林晓雯's smile: 未通过 n 项; settling: not 全部通过 either
    assert t(ALL_PASS) not in (board.problems.text(), board.questions.text())


def test_question_labels_stay_clear_of_the_key_list_too(qtbot) -> None:
    """F1's key list over the picture (x 483-797 of a 1280x680 window) cut "teeth showing? please check by eye" at
    its edge, the instructions' box moved to the top left corner beside it (s26): a label stays clear of both."""
    from ui.overlay import place_label

    key_list = QRectF(473, 0, 314, 562)
    instructions = QRectF(15, 62, 320, 58)
    mouth = QRectF(280, 285, 85, 45)
    label = place_label(mouth, (200, 24), PICTURE, [], [instructions, key_list])
    assert PICTURE.contains(label) and not label.intersects(key_list) and not label.intersects(instructions), label
    assert label.bottom() <= mouth.top()  # still just above its region


def test_the_instructions_beside_the_key_list_stay_off_the_crop_frame(qtbot) -> None:
    """With F1's key list over the crop frame's wider side and the other side under MIN_SIDE, the instructions went
    to the top corner away from the list, across the crop frame's top: over the student's hair (Xvfb 1600x1000, s27).
    They take the narrow side, wrapped, or the room below the frame; with no room anywhere, the bottom corner, over
    the shoulders rather than the hair."""
    from ui.overlay import MIN_SIDE

    crop = QRectF(180, 90, 270, 330)  # 148 px left of it (under MIN_SIDE), the list over the room on its right
    key_list = QRectF(470, 0, 366, 562)
    for problems in (english("face_count", "teeth"), [INSTRUCTIONS[c].zh for c in ("face_count", "teeth")]):
        placed = place_instructions(problems, PICTURE, crop, QFont(), key_list)
        assert crop.left() - MARGIN - PICTURE.left() - MARGIN < MIN_SIDE
        assert PICTURE.contains(placed.box), placed.box
        assert not placed.box.intersects(crop) and not placed.box.intersects(key_list), placed.box
        metrics = QFontMetricsF(placed.font)
        for text, rect in zip(placed.texts, placed.lines):
            assert metrics.boundingRect(QRectF(0, 0, rect.width(), 10_000), 0x1000, text).height() <= rect.height() + 0.5
    close_up = QRectF(120, 82, 340, 466)  # a student close to the camera: no room but under the list
    placed = place_instructions(english("face_count", "teeth"), PICTURE, close_up, QFont(), key_list)
    assert not placed.box.intersects(key_list)
    assert placed.box.bottom() == PICTURE.bottom() - MARGIN, placed.box  # over the shoulders, not the hair


def test_another_person_is_circled_in_red_where_she_stands(qtbot, engine) -> None:
    """画面中有多张人脸 said there were several people, not where: the photographer saw one student and could not tell
    which poster, passer-by or friend the station meant. Each other head is circled in red with 其他人 above it."""
    import cv2
    from PySide6.QtGui import QColor

    from station import ASSETS_DIR
    from ui.theme import BAD

    frame = cv2.imread(str(ASSETS_DIR / "demo" / "kiosk" / "05_two_people.jpg"))
    analysis = engine.analyze(frame)
    shown = (836, 470)  # letter-boxed on a 1280x720 laptop
    scale = shown[0] / frame.shape[1]
    pixels = painted(analysis, (frame.shape[1], frame.shape[0]), shown, fill=0xFFFFFF)  # a white picture
    bad = QColor(BAD)
    red = (pixels[:, :, 2] == bad.red()) & (pixels[:, :, 1] == bad.green()) & (pixels[:, :, 0] == bad.blue())
    [(x, y, w, h)] = [[round(v * scale) for v in box] for box in analysis.other_faces]
    middle = slice(y + h // 3, y + 2 * h // 3)
    assert red[middle, x - w // 3:x].any() and red[middle, x + w:x + w + w // 3].any()  # beside each of her cheeks
    hair = pixels[y - h // 4:y, x + w // 4:x + w - w // 4, :3]  # the instructions beside the crop frame stood there
    assert (hair == 255).all()
    assert not red[y + h // 8:y + h - h // 8, x + w // 8:x + w - w // 8].any()  # not over her face
    label = red[max(0, y - h):y, x - w // 3:x + w + w // 3]  # 其他人, white on red, above her head
    assert (label.sum(axis=1) > 40).any()
    mx, my, mw, mh = (round(v * scale) for v in analysis.face.box)
    assert not red[my - mh // 2:my + mh + mh // 4, mx - mw // 2:mx + mw + mw // 2].any()  # the student: not circled


def test_beside_a_second_persons_head_the_instructions_keep_each_phrase_whole(qtbot) -> None:
    """Kept clear of the other person's circled head, the instructions took the narrow strip beside it (148 px) and
    broke 请只保留一 / 人 at 1280x680: a place where each phrase stands whole (below the crop frame) comes first."""
    crop = QRectF(480, 90, 230, 290)  # the student right of the middle, as the live tracker took her in 05_two_people
    head = QRectF(180, 140, 170, 190)  # the other person, circled, left of her
    for problems in (english("face_count", "mouth_open"), [INSTRUCTIONS[c].zh for c in ("face_count", "mouth_open")]):
        placed = place_instructions(problems, PICTURE, crop, QFont(), head)
        assert not placed.box.intersects(head) and not placed.box.intersects(crop), placed.box
        assert PICTURE.contains(placed.box)
        metrics = QFontMetricsF(placed.font)
        for text, rect in zip(placed.texts, placed.lines):
            assert all(metrics.horizontalAdvance(line) <= rect.width() + 0.5 for line in text.split("\n")), text


def test_a_queued_person_outside_the_photo_is_not_circled(qtbot, engine) -> None:
    """Someone queued at the picture's edge, wholly outside the photo, does not stop the shutter: their head is not
    circled in red with 其他人 as a person who does, and no question is drawn over them."""
    from PySide6.QtGui import QColor

    from tests.chsi.images import with_someone_else
    from ui.overlay import LOOK
    from ui.theme import BAD

    frame = with_someone_else(0.55, 1160)
    analysis = engine.analyze(frame)
    pixels = painted(analysis, (frame.shape[1], frame.shape[0]), fill=0xFFFFFF)
    [(x, y, w, h)] = [[round(v) for v in box] for box in analysis.other_faces]
    around = pixels[max(0, y - h):y + h + h // 2, x - w // 2:min(frame.shape[1], x + w + w // 2)]

    def coloured(colour: QColor):
        return (around[:, :, 2] == colour.red()) & (around[:, :, 1] == colour.green()) & (around[:, :, 0] == colour.blue())

    assert not coloured(QColor(BAD)).any() and not coloured(LOOK).any()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_question_labels_stand_clear_of_a_phone_outlined_in_the_photo(qtbot, engine, lang: str) -> None:
    """林晓雯 holding the next student's phone before her chest: 张嘴？请目视确认 stood over the phone's red outline
    (s29 walk on Xvfb), hiding the code the photographer is asked to have put away."""
    import cv2

    from station import ASSETS_DIR
    from station.capture.live_checks import LiveResult
    from station.compliance.messages import QUESTION, TITLES
    from station.compliance.results import FAIL, LOOK, CheckResult
    from ui.i18n import language, set_language
    from ui.overlay import _phones, labelled

    frame = cv2.imread(str(ASSETS_DIR / "demo" / "qr" / "DEMO0002.jpg"))
    analysis = engine.analyze(frame)
    assert analysis.checks["code_in_photo"].level == FAIL
    asked = {check: CheckResult(0.4, LOOK, QUESTION.format(title=TITLES[check]))
             for check in ("mouth_open", "ears_covered", "teeth")}
    analysis = type(analysis)(**{**analysis.__dict__, "checks": {**analysis.checks, **asked}})
    result, target = LiveResult(1, (frame.shape[1], frame.shape[0]), analysis), QRectF(0, 0, 836, 470)
    before = language()
    set_language(lang)
    try:
        font = QFont("Noto Sans CJK SC", 13, QFont.Bold)
        placed = labelled(result, target, QFontMetricsF(font))
    finally:
        set_language(before)
    [phone] = _phones(result, target)
    assert len(placed) == 3
    assert not [item.text for item in placed if item.label.intersects(phone)]
