"""The "My handwriting" tab: the user's samples by digit, and Personalize."""
