"""Follow training: the Draw tab predicts with the weights of the run in progress.

The training loop hands over ``WeightsSnapshot``s (CPU copies it never touches
again) every few hundred batches and at each epoch's end. Each snapshot gets a
network of its own, so a network is never changed while anyone (the evidence
worker) uses it, built when a prediction first asks for it (with nothing drawn,
never). It is built on the meta device (no memory, no random
initialisation) and then takes the snapshot's tensors as its own: the GUI
thread holds the GIL the training thread needs, and initialising the weights
only to overwrite them cost about 1 ms per snapshot (bench/gui_responsiveness.py).
When the run ends the Draw tab returns to the active model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from gui.i18n import integer

if TYPE_CHECKING:
    from torch import nn

    from model.events import WeightsSnapshot


def live_text(snapshot: WeightsSnapshot) -> str:
    """'live: epoch 3/10, batch 1,200'."""
    return QCoreApplication.translate(
        "FollowTraining", "live: epoch {epoch}/{epochs}, batch {batch}"
    ).format(epoch=snapshot.epoch, epochs=snapshot.epochs, batch=integer(snapshot.batch))


def snapshot_network(snapshot: WeightsSnapshot) -> nn.Module:
    """A network in eval mode holding the snapshot's tensors (not copies: the loop never reuses them)."""
    import torch

    from model.networks import build_network

    with torch.device("meta"):
        network = build_network(snapshot.network, **dict(snapshot.network_args))
    network.load_state_dict(snapshot.state_dict, assign=True)
    if any(t.is_meta for t in (*network.parameters(), *network.buffers())):
        # A buffer outside the state dict (none of ours has one) stays empty on
        # meta: build it the ordinary way instead.
        network = build_network(snapshot.network, **dict(snapshot.network_args))
        network.load_state_dict(snapshot.state_dict)
    return network.eval()


class FollowTraining(QWidget):
    """The "Follow training" check and the live status line; shown only while a run trains."""

    changed = Signal()  # the network to predict with has changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followTraining")
        self.check = QCheckBox(self.tr("Follow training"), self)
        self.check.setObjectName("followTrainingCheck")
        self.check.setToolTip(
            self.tr(
                "Predict with the weights of the run in progress, refreshed every few hundred "
                "batches and at each epoch's end. When the run ends, the active model is back."
            )
        )
        self.check.setChecked(True)
        self.label = QLabel("", self)
        self.label.setObjectName("liveLabel")
        self.label.setAccessibleName(self.tr("Live training status"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.label, 1)
        self._network: nn.Module | None = None
        self._snapshot: WeightsSnapshot | None = None
        self._running = False
        self.check.toggled.connect(self._on_toggled)
        self.hide()

    def network(self) -> nn.Module | None:
        """The live network while following a run that has sent weights, else None.

        Built from the latest snapshot on the first request after it arrived: with
        nothing drawn no one asks, and the GUI thread builds nothing while the
        training thread waits for the GIL.
        """
        if not self._following():
            return None
        if self._network is None:
            self._network = snapshot_network(self._snapshot)
        return self._network

    def _following(self) -> bool:
        """A run is on, it has sent weights, and the user follows it."""
        return self._running and self._snapshot is not None and self.check.isChecked()

    def status(self) -> str:
        return self.label.text()

    @Slot()
    def run_started(self) -> None:
        """A run starts: following is on by default, until the first weights arrive."""
        self._running = True
        self._network = None
        self._snapshot = None
        self.check.blockSignals(True)
        self.check.setChecked(True)
        self.check.blockSignals(False)
        self.label.setText(self.tr("live: waiting for the first weights…"))
        self.show()

    @Slot(object)
    def on_snapshot(self, snapshot: WeightsSnapshot) -> None:
        if not self._running:
            return
        self._network = None  # built when asked for (network())
        self._snapshot = snapshot
        self.label.setText(live_text(snapshot) if self.check.isChecked() else "")
        if self.check.isChecked():
            self.changed.emit()

    @Slot()
    def run_ended(self) -> None:
        was_live = self._following()
        self._running = False
        self._network = None
        self._snapshot = None
        self.label.setText("")
        self.hide()
        if was_live:
            self.changed.emit()

    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        self.label.setText(live_text(self._snapshot) if on and self._snapshot else "")
        if self._running and self._snapshot is not None:
            self.changed.emit()
