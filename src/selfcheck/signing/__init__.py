"""The school key (PKCS#12) and PAdES signing (reports are verified by the verification package)."""
