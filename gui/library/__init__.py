"""The model library's views: the library window and the two-model comparison."""
