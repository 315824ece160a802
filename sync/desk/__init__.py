"""The Modern Slavery Lead's desk: what officers sent (the register), submitting referrals,
tracking NRM decisions and deadlines, and the quarterly report. No Qt."""
