"""Every user-facing message, provoked in-process and pinned word for word (see tests/test_user_messages.py)."""
