"""What the station says for each check: short instructions a photographer can read out."""

from __future__ import annotations

from station.i18n import Text

TITLES: dict[str, Text] = {
    "face_count": Text("人脸数量", "face count"),
    "face_position": Text("位置与大小", "position and size"),
    "code_in_photo": Text("手机/二维码入镜", "phone or code in the photo"),
    "pose": Text("头部姿态", "head pose"),
    "eyes_closed": Text("闭眼", "eyes closed"),
    "mouth_open": Text("张嘴", "mouth open"),
    "teeth": Text("露齿", "teeth showing"),
    "glasses": Text("眼镜", "glasses"),
    "hat": Text("帽子/头饰", "hat or head covering"),
    "earrings": Text("耳环", "earrings"),
    "necklace": Text("项链", "necklace"),
    "ears_covered": Text("耳朵遮挡", "ears covered"),
    "eyebrows_covered": Text("眉毛遮挡", "eyebrows covered"),
    "coloured_lenses": Text("美瞳", "coloured contact lenses"),
    "makeup": Text("浓妆", "heavy makeup"),
    "background": Text("背景", "backdrop"),
    # a name, not a finding: it is also listed among the checks passed (check's text output)
    "backdrop_drift": Text("背景光线变化", "backdrop light change"),
    "clothing_contrast": Text("服装颜色", "clothing colour"),
    "exposure": Text("曝光", "exposure"),
    "lighting": Text("光线均匀", "even lighting"),
    "blur": Text("清晰度", "sharpness"),
}

# The default instruction when a check fails; checks that know more say something more precise.
INSTRUCTIONS: dict[str, Text] = {
    "face_count": Text("画面中只能有一人", "only one person may be in the picture"),
    "face_position": Text("请站到画面中央", "please stand in the middle of the picture"),
    "code_in_photo": Text("画面中有手机/二维码，请移出画面", "a phone or code is in the photo: move it out of the picture"),
    "pose": Text("请正对镜头", "please face the camera straight on"),
    "eyes_closed": Text("请睁开眼睛", "please open your eyes"),
    "mouth_open": Text("请闭上嘴巴", "please close your mouth"),
    "teeth": Text("请闭上嘴巴，不要露出牙齿", "please close your mouth so your teeth do not show"),
    "glasses": Text("请摘下眼镜", "please take off your glasses"),
    "hat": Text("请摘下帽子或头饰", "please take off your hat or head covering"),
    "earrings": Text("请摘下耳环", "please take off your earrings"),
    # worded for a false alarm too: the check is weak (training/retired/necklace_mnv2.md, training/retired/necklace.md),
    # so a bare neck must not puzzle anyone
    "necklace": Text("如戴有项链，请摘下或放进衣领内",
                     "if you wear a necklace, take it off or tuck it under your collar"),
    "ears_covered": Text("请把头发拨到耳后，露出耳朵", "please tuck your hair behind your ears"),
    "eyebrows_covered": Text("请把刘海拨开，露出眉毛", "please move your fringe away from your eyebrows"),
    "coloured_lenses": Text("请摘下美瞳", "please remove coloured contact lenses"),
    "makeup": Text("请卸去浓妆", "please remove heavy makeup"),
    "background": Text("背景不是均匀的蓝色", "the backdrop is not an even blue"),
    "backdrop_drift": Text("背景光线与早上标定时不同：请检查灯光（灯是否坏了、是否有阳光照进来）",
                           "the light on the backdrop has changed since the morning's calibration: check the lamps "
                           "(one failed? sunlight?)"),
    "clothing_contrast": Text("衣服颜色与蓝色背景太接近，请换深色衣服",
                              "your clothes are too close to the blue backdrop: please wear something darker"),
    "exposure": Text("曝光不正常，请调整灯光", "the exposure is wrong: please adjust the lights"),
    "lighting": Text("脸部一侧太暗，请调整灯光使两侧均匀", "one side of the face is too dark: please even out the lights"),
    "blur": Text("照片模糊，请保持不动并重新对焦", "the picture is blurred: please hold still and refocus"),
}

PASSED = Text("通过", "OK")
# A rule the models are unsure of: the photographer looks (TITLES fill in the rule), the shutter stays free.
QUESTION = Text("{title}？请目视确认", "{title}? please check by eye")
NO_FACE = Text("未检测到人脸，请正对镜头", "no face found: please face the camera")
FACE_UNCLEAR = Text("看不清面部，请正对镜头并靠近一点", "the face cannot be measured: please face the camera and come closer")
MODEL_MISSING = Text("此项检查的模型未安装（models/ 文件夹）", "the model for this check is not installed (models/ folder)")
RUNTIME_MISSING = Text("检查模型的运行组件（onnxruntime）无法加载：请重新安装工作站程序",
                       "the check models' runtime (onnxruntime) cannot be loaded: reinstall the station program")

TOO_DARK = Text("光线太暗，请打开或调亮灯光", "too dark: please turn the lights up")
TOO_BRIGHT = Text("曝光过度，请调暗灯光", "over-exposed: please turn the lights down")
HIGHLIGHTS = Text("脸上有过亮的反光，请调整灯光角度", "bright glare on the face: please move the lights")
BACKDROP_NOT_BLUE = Text("背景不是蓝色，请站到蓝色背景布前", "the background is not blue: please stand in front of the blue backdrop")
BACKDROP_UNEVEN = Text("背景有阴影或明暗不均，请离背景远一点或调整灯光",
                       "the backdrop has shadows or uneven light: step away from it or adjust the lights")
BACKDROP_HIDDEN = Text("看不到背景，请后退一点", "the backdrop cannot be seen: please step back a little")
TURN_YAW = Text("请正对镜头，不要左右转头", "please face the camera: do not turn your head to the side")
TURN_PITCH = Text("请平视镜头，不要抬头或低头", "please look straight at the camera: do not tilt your head up or down")
TURN_ROLL = Text("请把头摆正，不要歪头", "please hold your head upright: do not tilt it sideways")
