"""Which serial ports `--idcard-reader auto` asks: a Windows laptop lists a serial link per paired Bluetooth phone or
headset (COM3, COM4... with hardware ids BTHENUM\\...), and opening one waits for that device for seconds to half a
minute, so the reader on COM7 was found a minute late. They are passed over; USB readers and the rest are asked."""

from __future__ import annotations

from serial.tools.list_ports_common import ListPortInfo

from station.identify.idcard_reader import wired_ports


def _port(device: str, hwid: str) -> ListPortInfo:
    info = ListPortInfo(device, skip_link_detection=True)
    info.hwid = hwid
    return info


def test_bluetooth_links_are_not_asked_for_a_reader() -> None:
    listed = [
        _port("COM3", r"BTHENUM\{00001101-0000-1000-8000-00805F9B34FB}_LOCALMFG&0002\7&1C2E2D3F&0&000000000000_0"),
        _port("COM4", r"BTHENUM\{00001101-0000-1000-8000-00805F9B34FB}_VID&0001004C_PID&7205\7&1C2E2D3F&0&4C_C0000000"),
        _port("COM7", "USB VID:PID=1A86:7523 SER= LOCATION=1-2"),  # a CH340 USB-serial reader
        _port("COM1", r"ACPI\PNP0501\1"),
        _port("/dev/ttyUSB0", "USB VID:PID=067B:2303 LOCATION=1-1.4"),
    ]
    assert wired_ports(listed) == ["/dev/ttyUSB0", "COM1", "COM7"]
