"""Widgets shared by several tabs (thumbnail grids, image strips)."""
