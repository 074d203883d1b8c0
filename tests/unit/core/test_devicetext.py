"""Device output bytes -> text: UTF-8 or GBK per line, lossless while reading, stable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netsteward.tasks.core.devicetext import decode_lines, device_text, incremental_decoder
from netsteward.tasks.platforms import PLATFORMS, load_platform

CONFIG = [
    "#",
    "sysname YM-BASE-ACC-014",
    "snmp-agent sys-info location 一号楼3层弱电间 F03-IDF-2",
    "interface GigabitEthernet0/0/7",
    " description 301室-财务科-打印机",
    'header login information "未经授权禁止登录！违者追究法律责任。"',
    "return",
]


def read_in_chunks(data: bytes, size: int) -> str:
    """What a session's reader holds after reading `data` in `size`-byte pieces."""
    decoder = incremental_decoder()
    text = "".join(decoder.decode(data[i : i + size]) for i in range(0, len(data), size))
    return text + decoder.decode(b"", final=True)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 4096])
def test_the_same_characters_whatever_the_device_sends(encoding: str, chunk: int) -> None:
    data = "\r\n".join(CONFIG).encode(encoding)
    assert device_text(read_in_chunks(data, chunk)) == "\r\n".join(CONFIG)


def test_a_configuration_mixing_utf8_and_gbk_lines() -> None:
    lines = [ln.encode("gbk" if i % 2 else "utf-8") for i, ln in enumerate(CONFIG)]
    assert device_text(read_in_chunks(b"\n".join(lines), 5)) == "\n".join(CONFIG)


def test_bytes_no_encoding_reads_are_replaced_not_dropped() -> None:
    assert (
        decode_lines(b"description caf\xe9 \xff\nreturn") == "description caf\ufffd \ufffd\nreturn"
    )


@given(st.lists(st.text(), max_size=8))
def test_utf8_lines_are_kept_exactly(lines: list[str]) -> None:
    # (GBK is not in this property: a GBK line of one or two characters can happen to be
    # valid UTF-8, see the module's docstring; the realistic lines above are checked)
    text = "\n".join(lines)
    assert device_text(read_in_chunks(text.encode("utf-8", "surrogatepass"), 3)) == text or any(
        "\ud800" <= c <= "\udfff" for c in text
    )


def test_every_platform_says_how_it_decodes_and_counts() -> None:
    for name in PLATFORMS:
        platform = load_platform(name)
        assert platform.text_encodings[0] == "utf-8"
        assert platform.description_length in ("bytes", "characters")
