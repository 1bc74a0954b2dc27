"""MNIST's normalisation constants, defined once for training and the canvas path.

Kept free of torch so the GUI can preprocess before torch has finished importing.
"""

MEAN = 0.1307
STD = 0.3081
