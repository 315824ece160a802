"""Sharing one reception board between the laptops at a reception centre: per-field changes
ordered by hybrid logical clocks, kept in each device's encrypted store, exchanged over mutually
authenticated HTTPS and merged the same way on every device (see docs/reception-sharing.md)."""
