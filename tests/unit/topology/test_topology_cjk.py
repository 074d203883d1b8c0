"""Chinese labels in the topology report: draw.io and SVG carry the characters, and the PNG
draws their glyphs, not boxes. Missing glyphs (tofu) all render as the same box, so two
different characters drawn alike, or drawn like a character no font has, means tofu.

The CJK font comes with the project's set-up (`make fonts`: Debian's fonts-wqy-microhei);
cairosvg is in the `test` extra. This test fails, it does not skip, when either is missing.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from netsteward.tasks.core.i18n import set_language
from netsteward.tasks.topology.export.drawio import drawio_xml
from netsteward.tasks.topology.export.svg import CJK_FONT, FONT, page_svg, write_png
from netsteward.tasks.topology.report import legend_page
from netsteward.tasks.topology.shapes import Box, Page

NO_GLYPH = "\U000e01f0\U000e01f1"  # unassigned: no font has them, always the missing-glyph box


def title_page(text: str) -> Page:
    page = Page("t", "t")
    page.boxes.append(Box("t:title", 10, 10, 300, 30, [text], "title"))
    page.fit()
    return page


def ink(svg: str, tmp_path: Path, box: tuple[int, int, int, int]) -> Image.Image:
    path = tmp_path / "p.png"
    assert write_png(svg, path), "cairosvg cannot render PNG here"
    return Image.open(io.BytesIO(path.read_bytes())).convert("L").crop(box)


def differ(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is not None


def test_cjk_glyphs_are_drawn_not_boxes(tmp_path: Path) -> None:
    crop = (0, 0, 120, 60)
    one = ink(page_svg(title_page("图例")), tmp_path, crop)
    swapped = ink(page_svg(title_page("例图")), tmp_path, crop)
    tofu = ink(page_svg(title_page("图" + NO_GLYPH[0])), tmp_path, crop)
    blank = ink(page_svg(title_page("")), tmp_path, crop)
    assert differ(one, blank)  # something is drawn
    assert differ(one, swapped)  # two characters are two different glyphs
    assert differ(one, tofu)  # and not the missing-glyph box
    both_tofu = (
        ink(page_svg(title_page("图" + NO_GLYPH[0])).replace(CJK_FONT, FONT), tmp_path, crop),
        ink(page_svg(title_page("例" + NO_GLYPH[1])).replace(CJK_FONT, FONT), tmp_path, crop),
    )
    # the check itself works: a font without CJK glyphs draws both characters as one box
    assert not differ(*both_tofu)


def test_the_chinese_legend_page_in_every_format(tmp_path: Path) -> None:
    set_language("zh")
    page = legend_page()
    svg = page_svg(page)
    assert f'font-family="{CJK_FONT}"' in svg and "<title>图例</title>" in svg
    assert "出口路由器" in svg and "两端 LLDP 均可见的线缆" in svg
    drawio = ET.fromstring(drawio_xml([page]))
    labels = " ".join(
        [c.get("value") or "" for c in drawio.iter("mxCell")]
        + [o.get("label") or "" for o in drawio.iter("object")]
    )
    assert "核心交换机" in labels and drawio.find("diagram").get("name") == "图例"
    title = (30, 30, 110, 70)
    zh = ink(svg, tmp_path, title)
    tofu = ink(
        svg.replace(
            '<text x="40.0" y="60.0" font-size="18" font-weight="bold">图例',
            f'<text x="40.0" y="60.0" font-size="18" font-weight="bold">{NO_GLYPH}',
        ),
        tmp_path,
        title,
    )
    assert differ(zh, tofu)


def test_pages_without_chinese_keep_their_font() -> None:
    set_language("en")
    assert f'font-family="{FONT}"' in page_svg(legend_page())


@pytest.mark.parametrize("text", ["一号楼B1 主机房 A03机柜", "ＩＰ电话"])
def test_cjk_detection(text: str) -> None:
    assert f'font-family="{CJK_FONT}"' in page_svg(title_page(text))
