"""Shipped data, not code: model weights with their cards, icons, translations.

Installed as the ``digitpad_assets`` package (see pyproject.toml) so a wheel
carries them; ``model.paths.assets_dir`` finds them in a checkout and installed.
"""
