"""digitpad's core: networks, MNIST data, training, evaluation, model files.

Pure PyTorch / torchvision / numpy. Nothing here imports Qt or ``gui``: the GUI
is a thin view over this package, and the CLI drives the very same functions.
"""

__version__ = "0.2.0"
