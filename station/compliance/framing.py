"""Who is in view and where: the face count, the CHSI framing and the head pose."""

from __future__ import annotations

from station.chsi.crop import REASONS, CropPlan, CropRefusal
from station.chsi.people import people_in_view, someone_else_in_photo
from station.compliance import messages
from station.compliance.policy import CheckPolicy
from station.compliance.results import Finding
from station.compliance.scoring import beyond
from station.face.detection import Box, Detection
from station.face.landmarks import Face
from station.face.pose import HeadPose


def faces_in_view(meshes: list[Face], detections: list[Detection]) -> tuple[Box, ...]:
    """The faces of the people in view, the mesh's main one first (people_in_view); those after the first are what
    face_count judges, and where the live picture outlines them."""
    return people_in_view([face.box for face in meshes], [detection.box for detection in detections])


def face_count(people: tuple[Box, ...], plan: CropPlan | CropRefusal | None) -> Finding:
    """Nobody, or someone else the photo may show (someone_else_in_photo), blocks. Someone else in view but wholly
    outside the photo and further back passes, as a code there does: the photo holds the student alone, and the queue
    beside a wide webcam's picture would otherwise block (or ask about) every student of the day."""
    if not people:
        return Finding(1.0, messages.NO_FACE)
    return Finding(1.0 if someone_else_in_photo(people, plan) else 0.0, REASONS["several_faces"])


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
