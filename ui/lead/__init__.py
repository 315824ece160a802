"""The Modern Slavery Lead's window: inbox, register, submitting, NRM tracker, dashboard."""
