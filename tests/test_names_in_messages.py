"""A student's name put into a message is marked where it is put in (station.i18n.Name): the message as a screen
shows it keeps the name on one line, the message itself (logs, files, the server, the CLI) has the name as typed."""

from __future__ import annotations

from station.i18n import WORD_JOINER, Name, Text

STILL = Text("{refused}\n当前学生仍是{name}。确要给{name}拍照", "{refused}\nstill {name}. To photograph {name}")
REFUSED = Text("名单中没有“{code}”", "'{code}' is not in the roster")


def test_a_name_is_whole_as_shown_and_plain_in_the_message() -> None:
    said = STILL.format(refused=REFUSED.format(code="DEMO0099"), name=Name("林晓雯"))
    assert said == Text("名单中没有“DEMO0099”\n当前学生仍是林晓雯。确要给林晓雯拍照",
                        "'DEMO0099' is not in the roster\nstill 林晓雯. To photograph 林晓雯")
    joined = f"林{WORD_JOINER}晓{WORD_JOINER}雯"
    assert said.shown.zh.count(joined) == 2 and said.shown.en.count(joined) == 2
    assert WORD_JOINER not in said.shown.zh.replace(joined, "")  # nothing else joined: 名单中没有 still wraps


def test_a_message_put_into_another_keeps_its_names_whole() -> None:
    inner = Text("{name}尚未缴费", "{name} has not paid").format(name=Name("司马思远"))
    outer = Text("不能拍照：{why}", "No photo: {why}").format(why=inner)
    assert outer.zh == "不能拍照：司马思远尚未缴费"
    assert outer.shown.zh == "不能拍照：" + WORD_JOINER.join("司马思远") + "尚未缴费"
    assert REFUSED.format(code="X").shown is None  # no name in it: shown as it is
