"""The Draw tab: a canvas on the left, what the network makes of it on the right.

Prediction is live: every change to the drawing goes through a ``Throttle``, so
the network runs at most ~20 times a second while the pen moves, and once more
the moment a stroke ends. The pipeline is the one path from strokes to the
network: ``model.strokes.strokes_to_steps`` (re-rendered with a pen relative to
the digit's size, so the on-screen pen width does not matter) -> preview (and
the optional preprocessing strip, which shows those very steps) -> network.
``model.verdict`` first checks that a drawing can be a digit at all; if not,
the panel shows "?" and says why instead of naming a digit. torch is imported only inside ``predict_now`` (by then a model is
loaded, so torch already is): the window must paint before torch has loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from gui.canvas import DEFAULT_PEN_WIDTH, MAX_PEN_WIDTH, MIN_PEN_WIDTH, Canvas
from gui.draw.evidence import EvidenceReady, EvidenceRunner
from gui.draw.follow import FollowTraining
from gui.draw.number_view import NumberView, PickedDigit
from gui.draw.steps_strip import StepsStrip
from gui.i18n import percent
from gui.input_preview import InputPreview
from gui.label_buttons import CorrectionBar
from gui.probability_chart import ProbabilityChart
from gui.settings import app_settings
from gui.throttle import Throttle
from model.preprocess import Steps, steps
from model.strokes import into_square, strokes_to_steps
from model.verdict import not_a_digit

if TYPE_CHECKING:
    from torch import nn

    from gui.evaluate.gallery import SampleToShow
    from model.checkpoints import LoadedModel
    from model.samples import Sample
    from model.stroke_match import StrokeMemory

PREDICT_INTERVAL_MS = 50
LOW_CONFIDENCE = 0.6  # below this top probability the answer is flagged as a guess
PEN_SETTING = "draw/penWidth"
STEPS_SETTING = "draw/showSteps"
EVIDENCE_SETTING = "draw/showEvidence"
NUMBER_SETTING = "draw/numberMode"
NUMBER_ASPECT = 4.0  # the number mode's canvas: width / height
WARNING = QColor(0xE8, 0xA3, 0x3D)

PROMPT = QT_TRANSLATE_NOOP("DrawTab", "Draw a digit")
NOT_A_DIGIT = "?"  # shown instead of a digit when the drawing cannot be one
LOADING = QT_TRANSLATE_NOOP("DrawTab", "Loading model…")
# model/verdict.py's answers (the core stays English); shown translated in the panel.
VERDICTS = (
    QT_TRANSLATE_NOOP("DrawTab", "A dot, not a digit: draw it larger"),
    QT_TRANSLATE_NOOP("DrawTab", "A straight line, not a digit"),
    QT_TRANSLATE_NOOP("DrawTab", "A scribble, not a digit"),
    QT_TRANSLATE_NOOP("DrawTab", "Too much ink for a digit"),
)


class DrawTab(QWidget):
    """Canvas, live prediction, probabilities and the network's-eye view of the drawing."""

    predicted = Signal(object)  # the 10 probabilities (np.ndarray), or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawTab")
        self._model: LoadedModel | None = None
        self._no_model_text = LOADING
        self._shortcuts_active = True
        self._probabilities: np.ndarray | None = None
        self._low_confidence = False
        self._rejection: str | None = None
        self._warned = False  # the prediction is shown in the warning colour
        self._sample: SampleToShow | None = None  # an image sent from the Evaluate tab
        self._steps: Steps | None = None
        # Number mode: the sample saved for each digit picked (by its strokes), so
        # picking again relabels that sample instead of storing a second one.
        self._number_samples: dict[tuple, Sample] = {}

        self.canvas = Canvas(self)
        self.undo_action = QAction(
            QIcon.fromTheme(QIcon.ThemeIcon.EditUndo), self.tr("&Undo stroke"), self
        )
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.undo_action.setStatusTip(self.tr("Take back the last stroke or Clear"))
        self.redo_action = QAction(
            QIcon.fromTheme(QIcon.ThemeIcon.EditRedo), self.tr("&Redo"), self
        )
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setStatusTip(self.tr("Do again what Undo took back"))
        self.clear_action = QAction(
            QIcon.fromTheme(QIcon.ThemeIcon.EditClear), self.tr("&Clear canvas"), self
        )
        self.clear_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Escape)]
        )
        self.clear_action.setStatusTip(self.tr("Erase the drawing"))
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.addAction(self.clear_action)

        self._build_controls()
        self._build_panel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(20)
        left = self._left = QVBoxLayout()
        left.setSpacing(10)
        left.addWidget(self.number_check)
        left.addWidget(self.canvas, 1)
        left.addLayout(self._controls)
        left.addWidget(self.number_view)
        self._number_stretch = left.count()
        left.addStretch(0)  # takes the height the wide canvas leaves in number mode
        left.addWidget(self.sample_label)
        left.addWidget(self.steps_strip)
        layout.addLayout(left, 3)
        layout.addWidget(self._panel, 2)

        self._throttle = Throttle(self._run_prediction, PREDICT_INTERVAL_MS, self)
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.strokeFinished.connect(self._on_stroke_finished)
        self.undo_action.triggered.connect(self._on_undo)
        self.redo_action.triggered.connect(self._on_redo)
        self.clear_action.triggered.connect(self._on_clear)
        self.pen_slider.valueChanged.connect(self._on_pen_width_changed)
        self.steps_check.toggled.connect(self._on_steps_toggled)
        self.number_check.toggled.connect(self._on_number_mode_toggled)
        self.number_view.picked.connect(self._on_digit_picked)
        self.evidence_check.toggled.connect(self._on_evidence_toggled)
        self.follow.changed.connect(self.predict_now)
        self._evidence = EvidenceRunner(self)
        self._evidence.ready.connect(self._on_evidence_ready)

        self._restore_pen_width()
        self._restore_toggles()
        self._sync_actions()
        self._run_prediction()

    # -- construction -------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.undo_button = QPushButton(self.undo_action.icon(), self.tr("Undo"), self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAccessibleName(self.tr("Undo stroke"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_action.trigger)
        self.clear_button = QPushButton(self.clear_action.icon(), self.tr("Clear"), self)
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setAccessibleName(self.tr("Clear canvas"))
        self.clear_button.setToolTip(self.tr("Erase the drawing (Delete or Esc)"))
        self.clear_button.clicked.connect(self.clear_action.trigger)

        self.pen_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.pen_slider.setObjectName("penWidthSlider")
        self.pen_slider.setAccessibleName(self.tr("Pen width"))
        self.pen_slider.setToolTip(
            self.tr(
                "Width of new strokes on screen; the network reads every drawing with a pen "
                "matched to the digit's size"
            )
        )
        # Thousandths of the canvas side.
        self.pen_slider.setRange(round(MIN_PEN_WIDTH * 1000), round(MAX_PEN_WIDTH * 1000))
        self.pen_slider.setSingleStep(5)
        self.pen_slider.setPageStep(20)
        self.pen_slider.setValue(round(DEFAULT_PEN_WIDTH * 1000))
        self.pen_slider.setMinimumWidth(90)
        self.pen_slider.setMaximumWidth(220)
        pen_label = QLabel(self.tr("Pen"), self)
        pen_label.setBuddy(self.pen_slider)

        self.steps_check = QCheckBox(self.tr("Show preprocessing"), self)
        self.steps_check.setObjectName("showStepsCheck")
        self.steps_check.setToolTip(
            self.tr("Show each step from your drawing to the network's input")
        )
        self.steps_strip = StepsStrip(self)
        self.number_check = QCheckBox(self.tr("Write a whole number"), self)
        self.number_check.setObjectName("numberModeCheck")
        self.number_check.setToolTip(
            self.tr(
                "Write a whole number: the canvas widens and every digit is read (Ctrl+C copies it)"
            )
        )
        self.number_view = NumberView(self)
        self.number_view.hide()
        self.steps_strip.hide()
        self.sample_label = QLabel("", self)
        self.sample_label.setObjectName("sampleLabel")
        self.sample_label.setWordWrap(True)
        self.sample_label.hide()

        self._controls = QHBoxLayout()
        self._controls.setSpacing(8)
        self._controls.addWidget(self.undo_button)
        self._controls.addWidget(self.clear_button)
        self._controls.addWidget(self.steps_check)
        self._controls.addStretch(1)
        self._controls.addWidget(pen_label)
        self._controls.addWidget(self.pen_slider)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.9)
        label.setFont(font)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return label

    def _build_panel(self) -> None:
        self.prediction_label = QLabel("", self)
        self.prediction_label.setObjectName("predictionLabel")
        self.prediction_label.setAccessibleName(self.tr("Predicted digit"))
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPixelSize(96)
        font.setBold(True)
        self.prediction_label.setFont(font)
        # Room for any digit, so the panel does not jump when one appears.
        self.prediction_label.setMinimumHeight(self.prediction_label.fontMetrics().height())
        self.prediction_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.confidence_label = QLabel("", self)
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setAccessibleName(self.tr("Confidence"))
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.confidence_label.setFont(font)
        self._normal_palette = QPalette(self.confidence_label.palette())
        self._warning_palette = QPalette(self._normal_palette)
        self._warning_palette.setColor(QPalette.ColorRole.WindowText, WARNING)

        self.chart = ProbabilityChart(self)
        self.preview = InputPreview(self)
        self.corrections = CorrectionBar(self)  # "It's a 0" … "It's a 9", keys 0-9, Enter
        self.evidence_check = QCheckBox(self.tr("Show evidence"), self)
        self.evidence_check.setObjectName("showEvidenceCheck")
        self.evidence_check.setToolTip(
            self.tr(
                "Colour the pixels that pushed the network towards its answer (green) "
                "and against it (red): integrated gradients from a blank canvas"
            )
        )
        self.evidence_legend = QLabel("", self)
        self.evidence_legend.setObjectName("evidenceLegend")
        self.evidence_legend.setWordWrap(True)
        self.evidence_legend.hide()
        self.follow = FollowTraining(self)

        self._panel = QWidget(self)
        self._panel.setObjectName("predictionPanel")
        self._panel.setMinimumWidth(240)
        self._panel.setMaximumWidth(380)
        self._panel.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        panel = QVBoxLayout(self._panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(6)
        panel.addWidget(self._caption(self.tr("Prediction")))
        panel.addWidget(self.prediction_label)
        panel.addWidget(self.confidence_label)
        panel.addWidget(self.corrections)
        panel.addSpacing(14)
        panel.addWidget(self._caption(self.tr("Probabilities")))
        panel.addWidget(self.chart, 1)
        panel.addSpacing(14)
        panel.addWidget(self._caption(self.tr("What the network sees (28 x 28)")))
        panel.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignLeft)
        panel.addWidget(self.evidence_check)
        panel.addWidget(self.evidence_legend)
        panel.addStretch(1)
        panel.addWidget(self.follow)

    # -- public API ---------------------------------------------------------------------

    def model(self) -> LoadedModel | None:
        return self._model

    def set_model(self, loaded: LoadedModel | None, no_model_text: str = LOADING) -> None:
        """Predict with ``loaded`` from now on (re-predicting the drawing).

        With None, the panel shows ``no_model_text`` instead of a guess.
        """
        self._model = loaded
        self._no_model_text = no_model_text
        self.predict_now()

    def set_shortcuts_active(self, active: bool) -> None:
        """Undo/Clear shortcuts act only while the Draw tab is the one shown.

        They are window-wide (they live in the Edit menu), and Escape on the Train
        tab must not wipe a drawing the user cannot see.
        """
        self._shortcuts_active = active
        self._sync_actions()

    def probabilities(self) -> np.ndarray | None:
        """The last prediction shown, or None."""
        return None if self._probabilities is None else self._probabilities.copy()

    def predict_now(self) -> np.ndarray | None:
        """Preprocess and predict the drawing synchronously; returns what is shown."""
        self._throttle.cancel()
        return self._run_prediction()

    # -- prediction ---------------------------------------------------------------------

    def network(self) -> nn.Module | None:
        """The network predictions use: the run in progress when following it, else the model's."""
        live = self.follow.network()
        if live is not None:
            return live
        return None if self._model is None else self._model.network

    def current_steps(self) -> Steps | None:
        """The preprocessing steps of the last prediction (the very object the strip shows)."""
        return self._steps

    def show_sample(self, sample: SampleToShow) -> None:
        """Show an image from the Evaluate tab: its preprocessing, prediction and evidence.

        A pen digit (with strokes in the canvas's units) is put back on the
        canvas, so it is a drawing like any other; a picture goes through ``model.preprocess.steps``, the
        function the canvas's strokes end in, and stays until the next stroke.
        """
        if self.is_number_mode():  # a sample is one digit
            self.number_check.setChecked(False)
        self.canvas.clear()
        if sample.strokes is not None:
            self._sample = None
            self.canvas.set_strokes([list(stroke) for stroke in sample.strokes])
        else:
            self._sample = sample
        self.sample_label.setText(
            self.tr("Showing {source} (a {label}); draw to replace it").format(
                source=sample.source, label=sample.label
            )
        )
        self.sample_label.show()
        self.predict_now()

    def _preprocess(self) -> Steps | None:
        if not self.canvas.is_empty():
            self._sample = None
            return strokes_to_steps(self.canvas.strokes())
        if self._sample is not None:
            return steps(self._sample.image, polarity="light_on_dark")
        return None

    def is_number_mode(self) -> bool:
        return self.number_check.isChecked()

    def _run_prediction(self) -> np.ndarray | None:
        if self.is_number_mode():
            if self.canvas.is_empty():
                self._number_samples.clear()
            network = self.network()
            memory = self._memory_for(network)
            self.number_view.read(self.canvas.strokes(), network, self._no_model_text, memory)
            self.predicted.emit(None)
            return None
        probabilities: np.ndarray | None = None
        result = self._preprocess()
        if result is None:
            self.sample_label.hide()
        self._steps = result
        self.preview.set_image(None if result is None else result.placed)
        if self.steps_strip.isVisible():
            self.steps_strip.set_steps(result)
        rejection = None
        if result is not None and not self.canvas.is_empty():
            rejection = not_a_digit(self.canvas.strokes(), result.placed)
        # Passed along, not kept in an attribute: storing it on the widget here made the
        # soak's reference count of None grow ~5 per prediction (PySide6 6.11, measured
        # with tests/gui/soak_app.py; a plain loop of assignments does not show it).
        # Asked for only when there is something to read: following a run, the
        # live network is built on request (gui/draw/follow.py).
        network = self.network() if result is not None and rejection is None else None
        like_a_sample = False
        if network is not None:
            from model.prediction import predict_probabilities

            probabilities = predict_probabilities(network, result.normalized)
            memory = self._memory_for(network)
            if memory is not None:
                from model.stroke_match import read_drawing

                # A personalized model reads a drawing made like one of its user's
                # samples as that sample's label (model/stroke_match.py).
                reading = read_drawing(probabilities, self.canvas.strokes(), memory)
                probabilities, like_a_sample = reading.probabilities, reading.like_a_sample
        self._show(probabilities, rejection, like_a_sample)
        self._request_evidence(probabilities, network)
        self.predicted.emit(probabilities)
        return probabilities

    def _memory_for(self, network: nn.Module | None) -> StrokeMemory | None:
        """The active model's remembered drawings, when ``network`` is its own (not a live run's)."""
        if self._model is None or network is None or network is not self._model.network:
            return None
        return self._model.memory

    def _request_evidence(
        self, probabilities: np.ndarray | None, network: nn.Module | None
    ) -> None:
        if (
            probabilities is None
            or network is None
            or not self.evidence_check.isChecked()
            or self._steps is None
        ):
            self._evidence.cancel()
            self.preview.set_evidence(None)
            self.evidence_legend.hide()
            return
        self._evidence.request(network, self._steps.normalized, int(np.argmax(probabilities)))

    @Slot(object)
    def _on_evidence_ready(self, event: EvidenceReady) -> None:
        if self.evidence_check.isChecked():
            self.preview.set_evidence(event.attributions)
            self.evidence_legend.setText(
                "<span style='color:#40c85a'>■</span> "
                + self.tr("towards {digit}").format(digit=event.digit)
                + " &nbsp; <span style='color:#eb463c'>■</span> "
                + self.tr("against it")
            )
            self.evidence_legend.show()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the evidence worker (the window calls this when it closes)."""
        return self._evidence.shutdown(timeout_ms)

    def rejection(self) -> str | None:
        """Why the drawing shown is not a digit (``model.verdict``), or None."""
        return self._rejection

    def _show(
        self,
        probabilities: np.ndarray | None,
        rejection: str | None = None,
        like_a_sample: bool = False,
    ) -> None:
        self._probabilities = probabilities
        self._rejection = rejection
        self.chart.set_probabilities(probabilities)
        low = False
        if rejection is not None:
            self.prediction_label.setText(NOT_A_DIGIT)
            self.confidence_label.setText(self.tr(rejection))
        elif probabilities is None:
            self.prediction_label.setText("")
            text = self._no_model_text if self._model is None else PROMPT
            self.confidence_label.setText(self.tr(text))
        else:
            best = int(np.argmax(probabilities))
            p = float(probabilities[best])
            low = p < LOW_CONFIDENCE
            self.prediction_label.setText(str(best))
            sure = self.tr("{percent} sure").format(percent=percent(p, 0))
            if low:
                sure = self.tr("⚠ {sure} · low confidence").format(sure=sure)
            elif like_a_sample:
                sure = self.tr("{sure} · drawn like one of your samples").format(sure=sure)
            self.confidence_label.setText(sure)
        self._low_confidence = low
        warn = low or rejection is not None
        if warn != self._warned:
            self._warned = warn
            palette = self._warning_palette if warn else self._normal_palette
            self.confidence_label.setPalette(palette)
            self.prediction_label.setPalette(palette)

    def is_low_confidence(self) -> bool:
        return self._low_confidence

    # -- slots --------------------------------------------------------------------------

    def _sync_actions(self) -> None:
        has_ink = not self.canvas.is_empty()
        can_undo, can_redo = self.canvas.can_undo(), self.canvas.can_redo()
        if self.undo_button.isEnabled() != can_undo:
            self.undo_button.setEnabled(can_undo)
        if self.clear_button.isEnabled() != has_ink:
            self.clear_button.setEnabled(has_ink)
        shortcuts = self._shortcuts_active
        for action, enabled in (
            (self.undo_action, can_undo and shortcuts),
            (self.redo_action, can_redo and shortcuts),
            (self.clear_action, has_ink and shortcuts),
        ):
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)

    @Slot()
    def _on_canvas_changed(self) -> None:
        self._sync_actions()
        self._throttle()

    @Slot()
    def _on_stroke_finished(self) -> None:
        self.sample_label.hide()
        self._throttle.flush()

    @Slot()
    def _on_undo(self) -> None:
        self.canvas.undo()
        self._throttle.flush()

    @Slot()
    def _on_redo(self) -> None:
        self.canvas.redo()
        self._throttle.flush()

    @Slot()
    def _on_clear(self) -> None:
        self.canvas.clear()
        self._throttle.flush()

    @Slot(int)
    def _on_pen_width_changed(self, value: int) -> None:
        self.canvas.set_pen_width(value / 1000)
        app_settings().setValue(PEN_SETTING, value / 1000)

    @Slot(bool)
    def _on_steps_toggled(self, on: bool) -> None:
        self.steps_strip.setVisible(on)
        self.steps_strip.set_steps(self._steps if on else None)
        app_settings().setValue(STEPS_SETTING, on)

    @Slot(bool)
    def _on_evidence_toggled(self, on: bool) -> None:
        app_settings().setValue(EVIDENCE_SETTING, on)
        self._request_evidence(self._probabilities if on else None, self.network())

    @Slot(bool)
    def _on_number_mode_toggled(self, on: bool) -> None:
        """A wide canvas read as a number, or the square one read as a digit.

        The drawing is cleared: a digit drawn to fill the square is not a number,
        and a number does not fit the square.
        """
        app_settings().setValue(NUMBER_SETTING, on)
        self.canvas.clear()
        self._sample = None
        if on:
            self.canvas.set_aspect(NUMBER_ASPECT, self.tr("Write a number"))
        else:
            self.canvas.set_aspect(1.0, self.tr(PROMPT))
        self._panel.setVisible(not on)
        # Keys 0-9 and Enter label the whole drawing: several digits are not one sample.
        self.corrections.set_active(not on)
        self.steps_check.setVisible(not on)
        self.steps_strip.setVisible(not on and self.steps_check.isChecked())
        self.number_view.setVisible(on)
        # The wide canvas keeps its 4:1 height; the square one takes all there is.
        self._left.setStretch(self._left.indexOf(self.canvas), 0 if on else 1)
        self._left.setStretch(self._number_stretch, 1 if on else 0)
        self.predict_now()

    @Slot(object)
    def _on_digit_picked(self, pick: PickedDigit) -> None:
        """Keep the digit the user named as a sample: its own strokes, not the whole number.

        The strokes move into the unit square (``into_square``), as if drawn on
        the one-digit canvas, whose side is the wide canvas's height.
        """
        saved = self._number_samples.get(pick.strokes)
        if saved is not None and saved.path.exists():
            if saved.label == pick.label:
                self.number_view.say(self.tr("Already saved as {digit}").format(digit=pick.label))
                return
            result = self.corrections.relabel(saved, pick.label, pick.prediction)
        else:
            result = self.corrections.store_strokes(
                into_square(pick.strokes),
                pick.label,
                canvas_size=self.canvas.square().height(),
                prediction=pick.prediction,
                confidence=round(pick.confidence, 4),
            )
        if result is not None:
            self._number_samples[pick.strokes] = result[0]
            self.number_view.say(result[1])

    def _restore_toggles(self) -> None:
        for check, key in (
            (self.steps_check, STEPS_SETTING),
            (self.evidence_check, EVIDENCE_SETTING),
            (self.number_check, NUMBER_SETTING),
        ):
            value = app_settings().value(key, False)
            on = value is True or (isinstance(value, str) and value.lower() == "true")
            check.setChecked(on)

    def _restore_pen_width(self) -> None:
        fraction = app_settings().get_float(
            PEN_SETTING, DEFAULT_PEN_WIDTH, MIN_PEN_WIDTH, MAX_PEN_WIDTH
        )
        self.pen_slider.blockSignals(True)
        self.pen_slider.setValue(round(fraction * 1000))  # clamped to the slider's range
        self.pen_slider.blockSignals(False)
        self.canvas.set_pen_width(self.pen_slider.value() / 1000)
