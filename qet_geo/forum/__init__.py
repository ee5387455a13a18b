"""The forum of the diagnostic (docs/forum.md): the impact subjects residents are shown,
ranked by their room for manoeuvre, and the citizen vote that chooses one."""
