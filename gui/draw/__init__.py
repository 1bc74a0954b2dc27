"""Parts of the Draw tab that grew beyond it: the preprocessing strip, evidence, following a run."""
