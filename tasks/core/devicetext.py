"""Device output as text: the one place where bytes from a device become `str`.

Devices send what their terminal settings and the people who configured them typed:
Chinese descriptions, locations, names and banners arrive as UTF-8 from some devices and
as GBK from others (a Huawei or H3C switch configured from a Chinese Windows terminal,
whose default encoding is GBK, stores and displays those bytes), sometimes both in one
configuration. Each platform lists the encodings to try in `text_encodings`
(`tasks/platforms/*.yaml`): every line is decoded with the first one that reads it
without error, and the stored backup is always UTF-8. A line none of them reads is
decoded with replacement characters (U+FFFD), never dropped.

Why per line and strict: a line of Chinese GBK text is almost never valid UTF-8, and
UTF-8 Chinese is valid GB18030 only by accident, so trying UTF-8 first and GB18030
(a superset of GBK and GB2312) second gives the right characters for either, and for a
configuration that mixes both (descriptions typed from different terminals). The result
depends only on the bytes, so the same device output is stored byte for byte the same
on every run, whichever encoding the device used. The limit of guessing: a GBK line
that happens to be valid UTF-8 (possible for a line whose only non-ASCII text is one or
two Chinese characters, whose GBK bytes can form a 2-byte UTF-8 sequence) is read as
UTF-8; it is stored the same way on every run, so it never shows as a change.

While reading, the session decodes with UTF-8 and `surrogateescape` (lossless: every byte
that is not UTF-8 becomes one lone surrogate); `device_text()` turns such a string back
into the device's bytes and decodes them as above.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from pathlib import Path

DEFAULT_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")
_ESCAPED = re.compile("[\udc80-\udcff]")


def incremental_decoder() -> codecs.IncrementalDecoder:
    """The decoder a session reads with: UTF-8, undecodable bytes kept as surrogates."""
    return codecs.getincrementaldecoder("utf-8")("surrogateescape")


def decode_lines(data: bytes, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """`data` decoded line by line with the first of `encodings` that reads the line."""
    out: list[str] = []
    for line in data.split(b"\n"):
        for encoding in encodings:
            try:
                out.append(line.decode(encoding))
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append(line.decode(encodings[0] if encodings else "utf-8", "replace"))
    return "\n".join(out)


def device_text(text: str, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """A string read with `incremental_decoder()` as the characters the device meant."""
    if not _ESCAPED.search(text):
        return text  # all UTF-8 (the usual case): nothing to do
    return decode_lines(text.encode("utf-8", "surrogateescape"), encodings)


def read_config_file(path: Path, encodings: Sequence[str] = DEFAULT_ENCODINGS) -> str:
    """A configuration file given on the command line (`--config-file`), as device text.

    Bad input (exit 2, one line): not found, a folder, binary (NUL bytes), empty. Its
    bytes are decoded as the device's would be (UTF-8, else GB18030 per line): a
    configuration saved from a device that stores GBK is a configuration, not bad input.
    """
    from netsteward.tasks.core.errors import BadInput
    from netsteward.tasks.core.i18n import _

    field = "--config-file"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(_("file not found"), file=str(path), field=field) from None
    except IsADirectoryError:
        raise BadInput(_("is a folder, not a file"), file=str(path), field=field) from None
    except OSError as exc:
        raise BadInput(
            _("cannot read ({reason})").format(reason=exc.strerror or exc),
            file=str(path),
            field=field,
        ) from None
    if b"\0" in data:
        raise BadInput(_("binary file (NUL bytes), not text"), file=str(path), field=field)
    if not data.strip():
        raise BadInput(_("empty file: no configuration to read"), file=str(path), field=field)
    return decode_lines(data, encodings)
