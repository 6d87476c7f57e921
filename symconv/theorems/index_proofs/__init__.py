"""Index-set proofs of the catalogue: the index forms and their bijections (:mod:`.forms`),
the theorems' steps (:mod:`.steps`). Imported on first use, not with the catalogue."""
