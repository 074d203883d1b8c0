"""Pure renderers: device state in, exact vendor CLI text out (no I/O)."""
