"""The home page's body map: a runner seen from the front and the back, drawn in SVG.

Regions are placed by location slug; their names and links come from the taxonomy, so
an editor's rename shows at once. A location without a drawn region still has its link
in the plain list beside the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from kbapp.taxonomy import Taxonomy

register = template.Library()

WIDTH = 400  # the figure is drawn about x = 200, so a shape mirrors to WIDTH - x
LEFT_TEXT_X, RIGHT_TEXT_X = 102, 296
WRAP_AT = 12  # characters; longer names take two lines
LINE_HEIGHT, CHAR_WIDTH = 19, 10  # of a label, in the drawing's units
MIN_HIT, HIT_PADDING = 34, 12


def ellipse(cx: int, cy: int, rx: int, ry: int) -> tuple[str, dict]:
    return "ellipse", {"cx": cx, "cy": cy, "rx": rx, "ry": ry}


def rect(x: int, y: int, width: int, height: int, rx: int) -> tuple[str, dict]:
    return "rect", {"x": x, "y": y, "width": width, "height": height, "rx": rx}


# slug: (label side, label y, leader target (x, y) or None, shapes, mirrored pair?)
FRONT = {
    "neck": ("left", 78, (188, 78), [rect(188, 66, 24, 22, 6)], False),
    "shoulders": ("right", 104, (262, 104), [ellipse(156, 104, 18, 11)], True),
    "side-stitch": ("right", 196, (240, 196), [ellipse(228, 196, 12, 17)], False),
    "hips": ("left", 262, (152, 262), [ellipse(168, 262, 16, 12)], True),
    "knees": ("right", 400, (241, 400), [ellipse(174, 400, 15, 13)], True),
    "shins": ("left", 450, (161, 450), [rect(161, 420, 24, 58, 10)], True),
    "ankles": ("right", 490, (241, 490), [ellipse(172, 490, 13, 8)], True),
    "feet": ("left", 515, (148, 513), [ellipse(166, 513, 18, 9)], True),
}
BACK = {
    # The whole back is a bracket beside its three parts, each a region of its own.
    "back": ("left", 172, None, [("path", {"d": "M114,100 H106 V244 H114"})], False),
    "upper-back": ("right", 122, (238, 122), [rect(162, 100, 76, 46, 10)], False),
    # The seeds' headline symptom: drawn over the upper back, so it comes after it.
    "between-the-shoulder-blades": ("right", 70, (208, 106), [rect(192, 102, 16, 40, 6)], False),
    "mid-back": ("right", 172, (236, 172), [rect(164, 150, 72, 44, 10)], False),
    "lower-back": ("right", 222, (238, 222), [rect(162, 198, 76, 46, 10)], False),
    "glutes": ("left", 280, (158, 278), [ellipse(178, 278, 20, 17)], True),
    "hamstrings": ("right", 340, (238, 340), [rect(162, 300, 26, 82, 12)], True),
    "calves": ("left", 440, (161, 440), [ellipse(175, 440, 14, 28)], True),
    "achilles": ("right", 482, (234, 482), [rect(166, 470, 12, 22, 5)], True),
    "heels-and-arches": ("left", 510, (157, 512), [ellipse(170, 512, 13, 8)], True),
}
VIEWS = {"front": FRONT, "back": BACK}


@dataclass
class Region:
    slug: str
    name: str
    url: str
    shapes: SafeString
    text_x: int
    text_y: int
    anchor: str
    lines: list[str]
    leader: tuple[int, int, int, int] | None
    # A transparent box around the label, so every place is at least 24 px to tap.
    hit: tuple[int, int, int, int]
    empty: bool = False


def mirrored(tag: str, attrs: dict) -> dict:
    if tag == "ellipse":
        return {**attrs, "cx": WIDTH - attrs["cx"]}
    return {**attrs, "x": WIDTH - attrs["x"] - attrs["width"]}


def shapes_markup(shapes: list[tuple[str, dict]], pair: bool) -> SafeString:
    drawn = [*shapes, *((tag, mirrored(tag, attrs)) for tag, attrs in shapes if pair)]
    return format_html_join(
        "", '<{} class="region-shape"{}/>', ((tag, flatatt(attrs)) for tag, attrs in drawn)
    )


def label_lines(name: str) -> list[str]:
    """Long names wrap at spaces, WRAP_AT characters a line ("Between the / shoulder /
    blades"); a single long word stays whole."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP_AT:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [name]


def hit_box(text_x: int, first_baseline: int, lines: list[str], side: str) -> tuple:
    """(x, y, width, height) around a label: 34 units tall at least, 29 px on a phone."""
    width = max(len(line) for line in lines) * CHAR_WIDTH + HIT_PADDING
    x = text_x - width + HIT_PADDING // 2 if side == "left" else text_x - HIT_PADDING // 2
    top = first_baseline - LINE_HEIGHT + 2
    return x, top, width, max(MIN_HIT, LINE_HEIGHT * len(lines) + HIT_PADDING)


def region(
    slug: str, spec: tuple, taxonomy: Taxonomy, filled: set[int], link_to: str = "symptom"
) -> Region | None:
    location = taxonomy.location(slug)
    if location is None:
        return None
    side, y, target, shapes, pair = spec
    text_x = LEFT_TEXT_X if side == "left" else RIGHT_TEXT_X
    leader = None
    if target:
        start = text_x + (4 if side == "left" else -4)
        leader = (start, y, *target)
    lines = label_lines(location.name)
    text_y = y - 9 * (len(lines) - 1) + 6
    return Region(
        slug=slug,
        name=location.name,
        url=(
            f"{reverse('check')}?location={slug}"
            if link_to == "check"
            else location.get_absolute_url()
        ),
        shapes=shapes_markup(shapes, pair),
        text_x=text_x,
        text_y=text_y,
        anchor="end" if side == "left" else "start",
        lines=lines,
        leader=leader,
        hit=hit_box(text_x, text_y, lines, side),
        empty=location.pk not in filled,
    )


@register.inclusion_tag("includes/_body_map.html")
def body_map(taxonomy: Taxonomy, view: str, filled: set[int], link_to: str = "symptom") -> dict:
    """One view of the runner ("front" or "back") with a link per drawn region: to its
    symptom page, or with ``link_to="check"`` to the check's next step. Places not in
    filled (no advice, no threads yet) are drawn apart and say so."""
    regions = [region(slug, spec, taxonomy, filled, link_to) for slug, spec in VIEWS[view].items()]
    return {"view": view, "regions": [r for r in regions if r is not None]}
