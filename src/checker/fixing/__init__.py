"""Mechanical fixes: what a rule's ``fix:`` means for one finding (``edits``), and writing the
fixed text back to the file, or showing it as a unified diff (``apply``)."""
