"""The Evaluate tab: a model on a data set, as a clickable confusion matrix and its images."""
