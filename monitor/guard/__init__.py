"""Guards at every edge: what may leave the monitor (no personal data, no real objection sent, inert text), and what it may touch (locks, output folders, atomic writes)."""
