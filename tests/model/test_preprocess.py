"""Canvas and photo images -> MNIST's 28x28 format, without Qt.

What MNIST's own digits satisfy, every output must satisfy too: the ink's
bounding box has a longer side of 20 px, the centre of mass sits within half a
pixel of (14, 14), values are float32 in [0, 1]. And an odd input (empty,
one dot, all ink, a sliver, either polarity, any size) must never raise.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from model.normalization import MEAN, STD
from model.preprocess import BOX, SIZE, has_ink, ink_map, normalize, preprocess, to_mnist


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    mass = image.sum()
    return float((ys * image).sum() / mass), float((xs * image).sum() / mass)


def ink_box(image: np.ndarray) -> tuple[int, int]:
    rows, cols = np.nonzero(image > 0)
    return int(np.ptp(rows)) + 1, int(np.ptp(cols)) + 1


def assert_mnist_like(out: np.ndarray) -> None:
    assert out.shape == (SIZE, SIZE)
    assert out.dtype == np.float32
    assert np.isfinite(out).all()
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert max(ink_box(out)) == BOX
    cy, cx = centre_of_mass(out)
    assert abs(cy - 14) <= 0.5 + 1e-6 and abs(cx - 14) <= 0.5 + 1e-6, (cy, cx)


def drawing(width: int, height: int, shapes: str, *, line_width: float = 0.08) -> np.ndarray:
    """White strokes on black, as the canvas exports them, at any size."""
    img = Image.new("L", (width, height), 0)
    pen = ImageDraw.Draw(img)
    side = min(width, height)
    w = max(1, round(line_width * side))
    ox, oy = (width - side) / 2, (height - side) / 2

    def p(x: float, y: float) -> tuple[float, float]:
        return ox + x * side, oy + y * side

    if "7" in shapes:
        pen.line([p(0.3, 0.2), p(0.7, 0.2), p(0.45, 0.82)], fill=255, width=w, joint="curve")
    if "0" in shapes:
        pen.ellipse([p(0.3, 0.18), p(0.7, 0.82)], outline=255, width=w)
    if "1" in shapes:
        pen.line([p(0.54, 0.18), p(0.47, 0.82)], fill=255, width=w)
    return np.asarray(img, dtype=np.float32) / 255


# -- odd inputs never raise -------------------------------------------------------------


@pytest.mark.parametrize(
    "image",
    [
        np.zeros((0, 0), np.float32),
        np.zeros((0, 7), np.uint8),
        np.zeros((280, 280), np.float32),
        np.ones((280, 280), np.float32),  # "auto": all paper, no ink
        np.full((50, 50), 0.05, np.float32),  # below the ink threshold
        np.zeros((1, 1), np.uint8),
        np.full((3, 500), 255, np.uint8),
    ],
    ids=["0x0", "0x7", "black", "white", "faint", "1x1", "3x500 white"],
)
def test_an_image_without_ink_gives_zeros(image: np.ndarray) -> None:
    out = to_mnist(image)
    assert out.shape == (SIZE, SIZE) and out.dtype == np.float32
    assert not out.any()
    assert not has_ink(image)
    np.testing.assert_allclose(preprocess(image), np.full((SIZE, SIZE), -MEAN / STD), rtol=1e-6)


def test_a_single_dot_becomes_a_centred_blob() -> None:
    image = np.zeros((280, 280), np.float32)
    image[37, 201] = 1.0
    out = to_mnist(image)
    assert_mnist_like(out)
    assert has_ink(image)


@pytest.mark.parametrize("where", ["top", "bottom", "left", "right", "corner"])
def test_a_stroke_along_an_edge(where: str) -> None:
    image = np.zeros((280, 280), np.float32)
    if where == "top":
        image[0:3, 20:260] = 1
    elif where == "bottom":
        image[-3:, 20:260] = 1
    elif where == "left":
        image[30:250, 0:2] = 1
    elif where == "right":
        image[30:250, -1] = 1
    else:
        image[-1, -1] = 1
    out = to_mnist(image)
    assert out.shape == (SIZE, SIZE) and np.isfinite(out).all()
    assert max(ink_box(out)) == BOX
    cy, cx = centre_of_mass(out)
    assert (
        abs(cy - 14) <= 0.5 + 1e-5 and abs(cx - 14) <= 0.5 + 1e-5
    )  # float noise at exactly half a pixel


def test_a_fully_inked_canvas() -> None:
    full = np.ones((280, 280), np.float32)
    out = to_mnist(full, polarity="light_on_dark")  # all ink: a 20x20 block
    assert_mnist_like(out)
    assert ink_box(out) == (BOX, BOX) and out.sum() == pytest.approx(BOX * BOX)
    assert not to_mnist(full).any()  # "auto" reads a uniform image as blank paper
    black = np.zeros((280, 280), np.float32)  # read as dark ink on light paper: all ink
    assert ink_box(to_mnist(black, polarity="dark_on_light")) == (BOX, BOX)


@pytest.mark.parametrize(
    "shape",
    [
        (1, 1),
        (2, 2),
        (3, 500),
        (500, 3),
        (28, 28),
        (37, 91),
        (280, 280),
        (1000, 1000),
        (1080, 1920),
    ],
)
def test_any_canvas_size(shape: tuple[int, int]) -> None:
    image = np.zeros(shape, np.float32)
    h, w = shape
    image[h // 4 : max(h // 4 + 1, 3 * h // 4), w // 2 : w // 2 + max(1, w // 10)] = 1.0
    out = to_mnist(image, polarity="light_on_dark")
    assert_mnist_like(out)


@pytest.mark.parametrize("size", [(64, 64), (280, 280), (301, 517), (1000, 1000)])
@pytest.mark.parametrize("digit", ["0", "1", "7"])
def test_drawn_digits_come_out_like_mnist(size: tuple[int, int], digit: str) -> None:
    out = to_mnist(drawing(*size, digit))
    assert_mnist_like(out)


def test_the_same_drawing_at_any_size_gives_nearly_the_same_input() -> None:
    reference = to_mnist(drawing(280, 280, "7"))
    for size in ((420, 420), (500, 320), (1000, 1000)):  # PIL draws without anti-aliasing:
        other = to_mnist(drawing(*size, "7"))  # much smaller and its strokes go jagged
        assert float(np.abs(other - reference).mean()) < 0.01, size


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_either_polarity_gives_the_same_input(dtype) -> None:
    light = drawing(280, 280, "0")
    dark = 1.0 - light  # black ink on white paper
    if dtype is np.uint8:
        light, dark = (np.round(a * 255).astype(np.uint8) for a in (light, dark))
    else:
        light, dark = light.astype(dtype), dark.astype(dtype)
    expected = to_mnist(light, polarity="light_on_dark")
    np.testing.assert_allclose(to_mnist(dark, polarity="auto"), expected, atol=1e-5)
    np.testing.assert_allclose(to_mnist(light, polarity="auto"), expected, atol=1e-5)
    np.testing.assert_allclose(to_mnist(dark, polarity="dark_on_light"), expected, atol=1e-5)


def test_colour_and_alpha_channels_and_grey_paper() -> None:
    light = drawing(200, 300, "7")
    expected = to_mnist(light)
    rgb = np.repeat(((1 - light) * 255).round().astype(np.uint8)[..., None], 3, axis=2)
    np.testing.assert_allclose(to_mnist(rgb), expected, atol=1e-2)
    rgba = np.concatenate([rgb, np.full((*rgb.shape[:2], 1), 255, np.uint8)], axis=2)
    np.testing.assert_allclose(to_mnist(rgba), expected, atol=1e-2)
    # Dark-grey ink on light-grey paper: the paper becomes 0, the ink keeps its contrast.
    grey_paper = 0.85 - 0.7 * light
    np.testing.assert_allclose(to_mnist(grey_paper), expected * (0.7 / 0.85), atol=1e-4)
    single_channel = light[..., None]
    np.testing.assert_allclose(to_mnist(single_channel), expected)


def test_nan_and_inf_are_survived() -> None:
    image = drawing(100, 100, "1")
    image[0, 0] = np.nan
    image[5, 5] = np.inf
    image[9, 9] = -np.inf
    out = to_mnist(image)
    assert np.isfinite(out).all()
    assert out.shape == (SIZE, SIZE)


def test_not_an_image_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="2D image"):
        to_mnist(np.zeros(10))
    with pytest.raises(ValueError, match="2D image"):
        ink_map(np.zeros((2, 3, 4, 5)))


def test_normalisation_uses_the_training_constants() -> None:
    out = to_mnist(drawing(280, 280, "7"))
    x = preprocess(drawing(280, 280, "7"))
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, (out - 0.1307) / 0.3081, rtol=1e-6)
    np.testing.assert_array_equal(normalize(out), x)


# -- real MNIST digits, blown up to canvas size, come back readable ----------------------


def canvas_like(digit: np.ndarray, index: int) -> np.ndarray:
    """One 28x28 MNIST digit as a user's canvas or photo: larger, moved, maybe inverted."""
    scale = (4, 10, 17)[index % 3]
    big = Image.fromarray((digit * 255).round().astype(np.uint8)).resize(
        (28 * scale, 28 * scale), Image.Resampling.BILINEAR
    )
    height, width = 28 * scale + 90, 28 * scale + 150
    canvas = Image.new("L", (width, height), 0)
    canvas.paste(big, (20 + index % 100, 10 + index % 70))
    pixels = np.asarray(canvas)
    if index % 2:  # black ink on white paper, as a three-channel photo
        pixels = np.repeat((255 - pixels)[..., None], 3, axis=2)
        return pixels
    return pixels.astype(np.float32) / 255


def test_real_digits_at_canvas_size_are_still_read_right(mnist_small, trained_mlp) -> None:
    from model.checkpoints import load_model
    from model.prediction import predict_probabilities

    network = load_model(trained_mlp).network
    n = 600
    originals = mnist_small.test.images[:n].numpy()  # normalised, as training saw them
    labels = mnist_small.test.labels[:n].numpy()
    digits = originals * STD + MEAN
    mnist = np.stack([to_mnist(canvas_like(d, i)) for i, d in enumerate(digits)])
    for image in mnist:
        assert_mnist_like(image)
    inputs = normalize(mnist)

    accuracy_original = float(
        (predict_probabilities(network, originals).argmax(1) == labels).mean()
    )
    accuracy_canvas = float((predict_probabilities(network, inputs).argmax(1) == labels).mean())
    print(
        f"accuracy: {accuracy_original:.3f} on MNIST's own images, {accuracy_canvas:.3f} via canvases"
    )
    assert accuracy_original > 0.85
    assert accuracy_canvas >= accuracy_original - 0.03, (accuracy_original, accuracy_canvas)
