"""Who else is in view, and whether the CHSI photo would show them.

At a crowded venue the next students queue beside and behind the one being photographed, and a 16:9 webcam sees
far wider than the 3:4 photo. A second person is refused only where the photo would show part of them: their head,
or the shoulders and body below it. Anyone else in view is outside the photo; the capture checks ask the
photographer to look (is the framed person the student?) instead of blocking every student while the queue stands
in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from station.chsi.crop import CropPlan, CropRefusal
from station.chsi.spec import SPEC, ChsiSpec
from station.face.detection import Box, centre_inside

# A person's extent around the box given for their face (people_in_view: the widest box found for it), in its width
# and height, from body proportions: shoulders are about 2.8 face widths across (biacromial 39 cm against a bizygomatic
# 14 cm), 1.4 face widths from the face's centre; the widest box of a face, the full-range detector's, is about 1.3
# face widths, so the shoulders reach about 1.1 of its widths from its centre, 0.6 beyond each side. (First set at
# 1.0 reading the box as the face's own width: on celebamaskhq val scenes a queued face at the frame's edge, boxed
# 1.3 times its width, then reached into the photo; test not yet looked at.) The hair reaches about half a face
# height above the box.
SHOULDER_REACH = 0.6
HAIR_ABOVE = 0.5
BELOW = 1e6  # the body goes on below the face to the bottom of any picture
# Another face at least this share of the framed one's width stands about as near the camera or nearer: either may be
# the student (a still frames the widest face, the live tracker the one it found first). Set before any figure: the
# other face's widest box against the framed face's mesh box (people_in_view), so about 0.75 of the student's size
# (1.3 times as far from the camera: a queued student a step or more behind) or more blocks.
AS_NEAR = 0.8


def people_in_view(faces: Sequence[Box], detected: Sequence[Box], spec: ChsiSpec = SPEC) -> tuple[Box, ...]:
    """The faces of the people in view, the main one first: `faces` (the mesh's, main first), then the `detected`
    boxes (largest first) no earlier face explains, leaving out other faces narrower than the spec's ratio of the
    widest (a poster or a passer-by far behind). The main face keeps the mesh's box; each other face takes the
    widest box found for it. A detector's box of a face is 0.97-1.29 times as wide as the mesh's (the demo frames
    1.07-1.29, 20 celebamaskhq portraits 0.97-1.17) and a big still's search may box one face twice at two sizes:
    compared so (AS_NEAR), a face of the student's own size never looks smaller than it is."""
    if not faces and not detected:
        return ()
    main, *others = faces or detected[:1]
    boxes = [main, *(max([face, *(box for box in detected if centre_inside(box, face, grow=0.25))],
                         key=lambda box: box[2]) for face in others)]
    for box in detected:
        if not any(centre_inside(box, seen, grow=0.25) for seen in boxes):
            boxes.append(box)
    widest = max(box[2] for box in boxes)
    return (main, *(box for box in boxes[1:] if box[2] >= spec.second_face_min_ratio * widest))


def person_around(face: Box) -> Box:
    """Where the person whose face is `face` may show: from above the hair, a shoulder's reach either side, down."""
    x, y, w, h = face
    return x - SHOULDER_REACH * w, y - HAIR_ABOVE * h, w * (1 + 2 * SHOULDER_REACH), HAIR_ABOVE * h + BELOW


def someone_else_in_photo(people: Sequence[Box], plan: CropPlan | CropRefusal | None) -> bool:
    """Whether anyone beside the main face (`people[0]`) is or may be in the photo `plan` makes (all in the same
    pixels): their person reaches into it; or there is no photo to tell where it ends (`plan` is a refusal); or a
    face stands about as near the camera as the framed one (AS_NEAR): which of them is the student is not clear.
    Only a person wholly outside the photo and well behind the student (the queue) is not."""
    main, others = people[0], people[1:]
    if not others:
        return False
    if not isinstance(plan, CropPlan) or any(face[2] >= AS_NEAR * main[2] for face in others):
        return True
    return any(plan.shows(person_around(face)) for face in others)
