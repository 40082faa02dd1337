"""Outreach records are not in the admin: they are personal data, written by the services
and voided, never edited, and the system administrator sees no business data (三员分立)."""
