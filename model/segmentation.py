"""A number written in one go -> its digits: group the ink into digits, read each one.

Nothing here assumes a grid or a digit width. Pieces of ink (strokes from the
canvas, connected components of a picture) are grouped in three steps, every
distance measured against the writing's height, so the rules hold at any size:

1. Pieces whose horizontal extents overlap so that the narrower one's middle
   lies within the wider one belong to one digit: the bar of a 4 or a 7
   written after its stem, a 5's flag, the second loop of an 8.
2. A group wider than a digit is tall gets candidate cuts where its ink is
   thinnest: a digit written in one stroke that runs into the next, or, in a
   picture, digits whose ink touches.
3. Neighbouring pieces are then joined or kept apart by the network itself: a
   dynamic programme picks the grouping whose digits the network reads most
   confidently, with a penalty for joining across a gap or into something much
   wider than a digit. So a 4 whose bar stops short of its stem stays one digit,
   two touching 1s stay two, and a cut is kept only where the network says so.

Every candidate digit goes through the one path to the network's input:
``model.strokes.strokes_to_steps`` for strokes, ``model.preprocess.steps`` for
pictures. Pure numpy: the network comes in as ``classify``, so this module
runs without torch and its rules can be tested with any classifier.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.preprocess import INK_THRESHOLD, Polarity, Steps, ink_map, steps
from model.strokes import Strokes, strokes_to_steps

# (N, 28, 28) normalised network inputs -> (N, 10) probabilities.
Classify = Callable[[np.ndarray], np.ndarray]

COMPONENT_INK = 0.25  # a picture's pixel belongs to a component from this much ink up


@dataclass(frozen=True)
class Rules:
    """The grouping's knobs. Lengths are fractions of the writing's height.

    The defaults were tuned on numbers composed from real pen digits
    (``bench/whole_numbers.py`` with a seed of its own), not on the figures it reports.
    """

    tiny: float = 0.08  # smaller than this both ways: a speck, not ink of a digit
    short: float = 0.6  # every digit is about as tall as the writing; a shorter piece
    short_penalty: float = 3.0  # ... is part of a digit unless nothing else will have it
    max_join_gap: float = 0.25  # pieces further apart than this are never one digit
    overlap_bonus: float = 0.5  # joining strokes that overlap by 0.1 or more earns this
    # (not a picture's blobs: there the pen's width makes touching digits overlap)
    max_width: float = 1.8  # a candidate digit wider than this is never one digit
    wide: float = 1.1  # digits joined from pieces wider than this are penalised ...
    width_penalty: float = 3.0  # ... this much per height beyond ``wide``
    gap_penalty: float = 4.0  # joining pieces across a gap costs this per height of gap
    tall: float = 0.75  # joining two marks this tall that do not overlap costs ...
    tall_join_penalty: float = 1.5  # ... this: they look like two digits
    bonus: float = 0.0  # added per digit: more favours more digits
    cut_strokes: float = 1.2  # stroke groups wider than this get candidate cuts
    cut_picture: float = 0.6  # so do a picture's components (touching ink)
    # Keeping a cut through ink costs this. The network reads two digits joined
    # by one stroke (or touching in a picture) confidently as one digit, 23 as
    # an 8 at 0.82, so a high cost keeps joined digits whole (10 % of joined
    # pairs split right at 0.6, 30 % at 0.1, 53 % at 0); at 0, slivers cut off
    # one digit get joined to its neighbour.
    cut_penalty: float = 0.1
    cut_margin: float = 0.18  # no cut closer than this to a group's edge
    cut_spacing: float = 0.22  # nor closer than this to another cut
    cut_every: float = 0.4  # at most one cut per this much width
    max_span: int = 6  # at most this many pieces in one digit


@dataclass(frozen=True)
class Box:
    """An axis-aligned extent, y down, in the input's own units (pixels for pictures)."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def as_list(self) -> list[float]:
        return [self.left, self.top, self.right, self.bottom]


@dataclass(frozen=True, eq=False)
class DigitReading:
    """One digit of a number: what the network made of it, and what it was shown.

    ``strokes`` are the digit's own strokes (pieces of strokes where one ran into
    the next digit) when it was read from strokes, empty for a picture;
    ``placed`` is the 28x28 picture in [0, 1] the network received.
    """

    probabilities: np.ndarray
    box: Box
    placed: np.ndarray
    strokes: tuple[tuple[tuple[float, float], ...], ...] = ()

    @property
    def digit(self) -> int:
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        return float(np.max(self.probabilities))

    def alternatives(self, k: int = 3) -> list[tuple[int, float]]:
        """The ``k`` likeliest digits, likeliest first, with their probabilities."""
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(int(d), float(self.probabilities[d])) for d in order]


@dataclass(frozen=True)
class NumberReading:
    """The digits of a number, left to right (none for an empty drawing)."""

    digits: tuple[DigitReading, ...] = ()

    @property
    def text(self) -> str:
        return "".join(str(d.digit) for d in self.digits)

    def __len__(self) -> int:
        return len(self.digits)


@dataclass(frozen=True, eq=False)
class _Piece:
    """A piece of ink: whole strokes, parts of strokes, or (part of) a picture's components."""

    box: Box
    strokes: tuple[np.ndarray, ...] = ()  # stroke path: (n, 2) arrays
    labels: tuple[int, ...] = ()  # picture path: its components ...
    columns: tuple[int, int] = (0, 0)  # ... within these columns, [left, right)
    cut_before: bool = False  # cut off the piece to its left: keeping the cut costs ...
    cut_cost: float = 0.0  # ... this much
    order: int = 0  # writing order, to break ties between pieces at one place
    source: _Piece | None = None  # the group (step 1) it was cut from, or that it is


# -- geometry ---------------------------------------------------------------------------


def writing_height(boxes: Sequence[Box]) -> float:
    """The height of a digit in this writing: the median height of the tall groups.

    Bars, flags and specks are short and every digit is about as tall as the
    writing, so the groups at least half as tall as the tallest tell the height.
    """
    if not boxes:
        return 1.0
    heights = np.array([b.height for b in boxes])
    tall = heights[heights >= 0.5 * heights.max()]
    h = float(np.median(tall)) if tall.size else 0.0
    if h <= 0:  # nothing but flat lines or dots
        h = max(max(b.width for b in boxes), 1e-9)
    return h


def _belong_together(a: Box, b: Box) -> bool:
    """The narrower piece's middle lies within the wider one's horizontal extent."""
    narrow, wide = (a, b) if a.width <= b.width else (b, a)
    return wide.left <= narrow.centre_x <= wide.right


def group_by_overlap(boxes: Sequence[Box]) -> list[list[int]]:
    """Indices of ``boxes`` grouped by horizontal overlap (step 1), groups left to right."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            if _belong_together(boxes[i], boxes[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(find(i), []).append(i)
    out = list(groups.values())
    out.sort(key=lambda g: (_union([boxes[i] for i in g]).centre_x, min(g)))
    return out


def _union(boxes: Sequence[Box]) -> Box:
    box = boxes[0]
    for b in boxes[1:]:
        box = box.union(b)
    return box


def _largest_gap(boxes: Sequence[Box]) -> float:
    """The widest empty vertical band between the boxes (negative when they overlap)."""
    ordered = sorted(boxes, key=lambda b: b.left)
    gap = -math.inf
    reach = ordered[0].right
    for b in ordered[1:]:
        gap = max(gap, b.left - reach)
        reach = max(reach, b.right)
    return gap


def _cut_positions(
    profile: np.ndarray, left: float, step: float, height: float, rules: Rules
) -> list[float]:
    """Where to try cutting a wide group: the thinnest columns of its ink profile.

    ``profile[i]`` is the ink in the column starting at ``left + i * step``.
    Local minima away from the edges, thinnest first, spaced apart.
    """
    n = len(profile)
    width = n * step
    margin = rules.cut_margin * height
    candidates = []
    for i in range(n):
        x = left + (i + 0.5) * step
        if x - left < margin or left + width - x < margin:
            continue
        if profile[i] <= profile[max(0, i - 1)] and profile[i] <= profile[min(n - 1, i + 1)]:
            candidates.append((float(profile[i]), x))
    candidates.sort()
    chosen: list[float] = []
    limit = max(1, math.ceil(width / (rules.cut_every * height)))
    for _, x in candidates:
        if all(abs(x - c) >= rules.cut_spacing * height for c in chosen):
            chosen.append(x)
        if len(chosen) >= limit:
            break
    return sorted(chosen)


def _cut_piece(
    group: _Piece,
    before: Sequence[_Piece],
    rules: Rules,
    *,
    box: Box | None = None,
    strokes: tuple[np.ndarray, ...] = (),
    labels: tuple[int, ...] = (),
    columns: tuple[int, int] = (0, 0),
) -> _Piece:
    """One piece of a cut group: it pays for its cut unless it is the group's first.

    ``before`` are the pieces already cut off to its left; a stroke piece's box
    is that of its strokes.
    """
    if box is None:
        box = _union([_stroke_box(s) for s in strokes])
    return _Piece(
        box,
        strokes,
        labels,
        columns,
        cut_before=bool(before),
        cut_cost=rules.cut_penalty,
        order=group.order,
    )


# -- the shared flow --------------------------------------------------------------------


def _read(
    groups: list[_Piece],
    cut: Callable[[_Piece, float], list[_Piece]],
    render: Callable[[Sequence[_Piece]], Steps],
    classify: Classify,
    rules: Rules,
    picture: bool = False,
) -> list[tuple[list[_Piece], np.ndarray, Steps]]:
    """Groups (step 1, left to right) -> digits: (pieces, probabilities, steps) each.

    ``cut(group, height)`` gives a wide group's pieces after candidate cuts (step 2).
    """
    if not groups:
        return []
    height = writing_height([g.box for g in groups])
    groups = [g for g in groups if max(g.box.width, g.box.height) >= rules.tiny * height]
    # A short mark with nothing near enough to join is not a digit (a minus sign, a dot).
    reach = rules.max_join_gap * height
    groups = [
        g
        for g in groups
        if g.box.height >= rules.short * height
        or any(
            o is not g and o.box.left - reach <= g.box.right and g.box.left <= o.box.right + reach
            for o in groups
        )
    ]
    if not groups:
        return []
    pieces = [dataclasses.replace(p, source=g) for g in groups for p in cut(g, height)]
    pieces.sort(key=lambda p: (p.box.centre_x, p.order))
    return _segment(pieces, height, render, classify, rules, picture)


def _segment(
    pieces: Sequence[_Piece],
    height: float,
    render: Callable[[Sequence[_Piece]], Steps],
    classify: Classify,
    rules: Rules,
    picture: bool,
) -> list[tuple[list[_Piece], np.ndarray, Steps]]:
    """The best grouping of ``pieces`` (sorted left to right) into digits (step 3)."""
    n = len(pieces)
    overlap_bonus = 0.0 if picture else rules.overlap_bonus
    candidates: list[tuple[int, int, float]] = []  # (start, end, penalty)
    for end in range(1, n + 1):
        for start in range(end - 1, max(-1, end - 1 - rules.max_span), -1):
            members = pieces[start:end]
            box = _union([p.box for p in members])
            sources: dict[int, Box] = {}  # the groups of step 1 this would join
            for p in members:
                key = id(p.source)
                sources[key] = sources[key].union(p.box) if key in sources else p.box
            penalty = 0.0
            if len(sources) > 1:
                if box.width > rules.max_width * height:
                    break  # only wider further left
                gap = _largest_gap(list(sources.values()))
                if gap > rules.max_join_gap * height:
                    continue
                penalty += rules.gap_penalty * max(0.0, gap) / height
                penalty -= overlap_bonus * min(1.0, max(0.0, -gap) / (0.1 * height))
                penalty += rules.width_penalty * max(0.0, box.width / height - rules.wide)
                tall = sum(b.height >= rules.tall * height for b in sources.values())
                if tall > 1 and gap >= 0:  # two digit-sized marks side by side
                    penalty += rules.tall_join_penalty
            if box.height < rules.short * height:
                penalty += rules.short_penalty
            if pieces[start].cut_before:
                penalty += pieces[start].cut_cost
            candidates.append((start, end, penalty))
    rendered = [render(pieces[s:e]) for s, e, _ in candidates]
    probabilities = np.asarray(classify(np.stack([r.normalized for r in rendered])))
    best = np.full(n + 1, -math.inf)
    best[0] = 0.0
    choice = [-1] * (n + 1)
    for k, (start, end, penalty) in enumerate(candidates):
        confidence = max(float(probabilities[k].max()), 1e-9)
        score = best[start] + math.log(confidence) + rules.bonus - penalty
        if score > best[end]:
            best[end] = score
            choice[end] = k
    out = []
    end = n
    while end > 0:
        k = choice[end]
        start = candidates[k][0]
        out.append((list(pieces[start:end]), probabilities[k], rendered[k]))
        end = start
    return out[::-1]


# -- strokes ----------------------------------------------------------------------------


def _stroke_box(points: np.ndarray) -> Box:
    low = points.min(axis=0)
    high = points.max(axis=0)
    return Box(float(low[0]), float(low[1]), float(high[0]), float(high[1]))


def _split_stroke(points: np.ndarray, x: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The parts of a polyline left and right of the vertical line at ``x``."""
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    side = points[:, 0] < x
    flips = np.flatnonzero(side[1:] != side[:-1]) + 1
    begin = 0
    carry: np.ndarray | None = None  # the crossing point, shared by both parts
    for i in flips:
        a, b = points[i - 1], points[i]
        crossing = a + (x - a[0]) / (b[0] - a[0]) * (b - a)
        part = points[begin:i]
        if carry is not None:
            part = np.vstack([carry, part])
        (left if side[i - 1] else right).append(np.vstack([part, crossing]))
        carry = crossing
        begin = i
    part = points[begin:]
    if carry is not None:
        part = np.vstack([carry, part])
    (left if side[-1] else right).append(part)
    return left, right


def _stroke_profile(piece: _Piece, step: float) -> np.ndarray:
    """Pen travel per column of width ``step``: where a stroke group is thinnest."""
    n = max(1, math.ceil(piece.box.width / step))
    profile = np.zeros(n)
    for stroke in piece.strokes:
        if len(stroke) < 2:
            continue
        mid = (stroke[1:, 0] + stroke[:-1, 0]) / 2
        length = np.linalg.norm(np.diff(stroke, axis=0), axis=1)
        index = np.clip(((mid - piece.box.left) / step).astype(int), 0, n - 1)
        np.add.at(profile, index, length)
    return profile


def _stroke_cutter(rules: Rules) -> Callable[[_Piece, float], list[_Piece]]:
    def cut(group: _Piece, height: float) -> list[_Piece]:
        if group.box.width <= rules.cut_strokes * height:
            return [group]
        step = height / 20
        cuts = _cut_positions(_stroke_profile(group, step), group.box.left, step, height, rules)
        out = []
        rest = list(group.strokes)
        for x in cuts:
            left: list[np.ndarray] = []
            right: list[np.ndarray] = []
            for stroke in rest:
                lo, hi = _split_stroke(stroke, x)
                left += lo
                right += hi
            if left:
                out.append(_cut_piece(group, out, rules, strokes=tuple(left)))
            rest = right
        if rest:
            out.append(_cut_piece(group, out, rules, strokes=tuple(rest)))
        return out

    return cut


def _render_strokes(pieces: Sequence[_Piece]) -> Steps:
    return strokes_to_steps([s for p in pieces for s in p.strokes])


def read_strokes(strokes: Strokes, classify: Classify, rules: Rules = Rules()) -> NumberReading:
    """Strokes in any units (y down), written side by side -> the number they spell."""
    clean = []
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        points = points[np.isfinite(points).all(axis=1)]
        if len(points):
            clean.append(points)
    boxes = [_stroke_box(s) for s in clean]
    groups = [
        _Piece(_union([boxes[i] for i in g]), tuple(clean[i] for i in g), order=min(g))
        for g in group_by_overlap(boxes)
    ]
    found = _read(groups, _stroke_cutter(rules), _render_strokes, classify, rules)
    cut_into = Counter(id(p.source) for pieces, _, _ in found for p in pieces)
    digits = []
    for pieces, probabilities, rendered in found:
        # A group cut and joined again gives back its strokes as they were written,
        # and a digit's strokes keep the order they were written in (the pieces run
        # left to right): a personalized model matches the pen's path
        # (model/stroke_match.py), and a digit saved as a sample keeps it too.
        whole = Counter(id(p.source) for p in pieces)
        written = sorted(pieces, key=lambda p: p.order)
        kept: list[np.ndarray] = []
        for n, p in enumerate(written):
            if whole[id(p.source)] < cut_into[id(p.source)]:
                kept += p.strokes
            elif p.source is not None and not any(p.source is q.source for q in written[:n]):
                kept += p.source.strokes
        own = tuple(tuple((float(x), float(y)) for x, y in stroke) for stroke in kept)
        box = _union([p.box for p in pieces])
        digits.append(DigitReading(probabilities, box, rendered.placed, own))
    return NumberReading(tuple(digits))


# -- pictures ---------------------------------------------------------------------------


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-connected components of a boolean image: (labels 1..n, 0 = background), n.

    Run-length union-find: rows become runs of set pixels with numpy, and only
    runs are joined in Python, so a large picture costs its runs, not its pixels.
    """
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    run_rows, first = np.nonzero(edges == 1)
    _, stop = np.nonzero(edges == -1)  # row by row, so starts and stops pair up in order
    parent = list(range(len(run_rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_start = np.searchsorted(run_rows, np.arange(h + 1))
    for r in range(1, h):
        lo, mid, hi = int(row_start[r - 1]), int(row_start[r]), int(row_start[r + 1])
        j = lo
        for i in range(mid, hi):
            while j < mid and stop[j] < first[i]:  # ends left of this run, diagonals included
                j += 1
            k = j
            while k < mid and first[k] <= stop[i]:
                ra, rb = find(i), find(k)
                if ra != rb:
                    parent[ra] = rb
                k += 1
    labels = np.zeros((h, w), dtype=np.int32)
    roots: dict[int, int] = {}
    for i in range(len(run_rows)):
        labels[run_rows[i], first[i] : stop[i]] = roots.setdefault(find(i), len(roots) + 1)
    return labels, len(roots)


def _component_boxes(labels: np.ndarray, count: int) -> list[Box]:
    rows, cols = np.nonzero(labels)
    index = labels[rows, cols] - 1
    top = np.full(count, labels.shape[0])
    left = np.full(count, labels.shape[1])
    bottom = np.zeros(count, dtype=np.int64)
    right = np.zeros(count, dtype=np.int64)
    np.minimum.at(top, index, rows)
    np.minimum.at(left, index, cols)
    np.maximum.at(bottom, index, rows + 1)
    np.maximum.at(right, index, cols + 1)
    return [
        Box(float(left[i]), float(top[i]), float(right[i]), float(bottom[i])) for i in range(count)
    ]


def _window(box: Box) -> tuple[slice, slice]:
    return slice(int(box.top), int(box.bottom)), slice(int(box.left), int(box.right))


def read_image(
    image: np.ndarray, classify: Classify, polarity: Polarity = "auto", rules: Rules = Rules()
) -> NumberReading:
    """A picture of a number (any size, either polarity) -> the number it shows.

    Boxes are in pixels, ``[left, right)`` by ``[top, bottom)``.
    """
    ink = ink_map(image, polarity)
    if ink.size == 0:
        return NumberReading()
    labels, count = label_components(ink >= max(COMPONENT_INK, INK_THRESHOLD))
    boxes = _component_boxes(labels, count)
    groups = []
    for g in group_by_overlap(boxes):
        box = _union([boxes[i] for i in g])
        groups.append(
            _Piece(
                box,
                labels=tuple(i + 1 for i in g),
                columns=(int(box.left), int(box.right)),
                order=min(g),
            )
        )

    def mask(pieces: Sequence[_Piece], box: Box) -> np.ndarray:
        """Which pixels of ``box`` are the pieces' ink (or fringe of no component)."""
        rows, cols = _window(box)
        window = labels[rows, cols]
        xs = np.arange(cols.start, cols.stop)
        keep = window == 0  # anti-aliased fringe below the component threshold
        for p in pieces:
            inside = (xs >= p.columns[0]) & (xs < p.columns[1])
            keep |= np.isin(window, p.labels) & inside
        return keep

    def cut(group: _Piece, height: float) -> list[_Piece]:
        if group.box.width <= rules.cut_picture * height:
            return [group]
        rows, cols = _window(group.box)
        profile = (ink[rows, cols] * mask([group], group.box)).sum(axis=0)
        cuts = [round(c) for c in _cut_positions(profile, group.box.left, 1.0, height, rules)]
        bounds = [int(group.box.left), *cuts, int(group.box.right)]
        out: list[_Piece] = []
        for a, b in itertools.pairwise(bounds):
            strip = Box(float(a), group.box.top, float(b), group.box.bottom)
            rows, cols = _window(strip)
            mine = np.isin(labels[rows, cols], group.labels)
            ys = np.flatnonzero(mine.any(axis=1))
            xs = np.flatnonzero(mine.any(axis=0))
            if not ys.size:
                continue
            box = Box(
                float(a + xs[0]),
                group.box.top + float(ys[0]),
                float(a + xs[-1] + 1),
                group.box.top + float(ys[-1] + 1),
            )
            out.append(_cut_piece(group, out, rules, box=box, labels=group.labels, columns=(a, b)))
        return out or [group]

    def render(pieces: Sequence[_Piece]) -> Steps:
        box = _union([p.box for p in pieces])
        rows, cols = _window(box)
        return steps(ink[rows, cols] * mask(pieces, box), polarity="light_on_dark")

    digits = []
    for pieces, probabilities, rendered in _read(
        groups, cut, render, classify, rules, picture=True
    ):
        box = _union([p.box for p in pieces])
        digits.append(DigitReading(probabilities, box, rendered.placed))
    return NumberReading(tuple(digits))
