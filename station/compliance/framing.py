"""Who is in view and where: the face count, the CHSI framing and the head pose."""

from __future__ import annotations

from station.chsi.crop import REASONS, CropPlan, CropRefusal
from station.chsi.spec import SPEC
from station.compliance import messages
from station.compliance.policy import CheckPolicy
from station.compliance.results import Finding
from station.compliance.scoring import beyond
from station.face.detection import Box, Detection, centre_inside
from station.face.landmarks import Face
from station.face.pose import HeadPose


def faces_in_view(meshes: list[Face], detections: list[Detection]) -> tuple[Box, ...]:
    """The faces of the people in view: the mesh's (the main one first), then detections no mesh face explains,
    ignoring faces narrower than the spec's ratio of the widest (a poster or a passer-by far behind). Those after
    the first are why face_count blocks, and where the live picture outlines them."""
    boxes = [face.box for face in meshes]
    for detection in detections:  # largest first; overlapping detections of one face count once
        if not any(centre_inside(detection.box, box, grow=0.25) for box in boxes):
            boxes.append(detection.box)
    widest = max((box[2] for box in boxes), default=0.0)
    return tuple(box for box in boxes if box[2] >= SPEC.second_face_min_ratio * widest)


def face_count(faces: int) -> Finding:
    if faces == 0:
        return Finding(1.0, messages.NO_FACE)
    return Finding(0.0 if faces == 1 else 1.0, REASONS["several_faces"])


def face_position(plan: CropPlan | CropRefusal) -> Finding:
    """The CHSI crop either fits this frame (with the head inside every band) or it does not."""
    if isinstance(plan, CropRefusal):
        return Finding(1.0, plan.text)
    return Finding(0.0, messages.INSTRUCTIONS["face_position"])


# a logistic of softness s is 0.881 at 2 s above its limit: the policy's block, one measuring error above the limit
ERROR_IN_SOFTNESSES = 2.0


def pose(head: HeadPose, policy: CheckPolicy) -> Finding:
    """Each angle against its limit, its score's softness set by how far the estimate can be off (the policy's
    errors), so that the question band above each limit is as wide as that angle's error."""
    scores = {
        message: beyond(abs(angle), policy[f"max_{name}_deg"], policy[f"error_{name}_deg"] / ERROR_IN_SOFTNESSES)
        for name, angle, message in (("yaw", head.yaw, messages.TURN_YAW), ("pitch", head.pitch, messages.TURN_PITCH),
                                     ("roll", head.roll, messages.TURN_ROLL))
    }
    worst = max(scores, key=scores.__getitem__)
    return Finding(scores[worst], worst)
