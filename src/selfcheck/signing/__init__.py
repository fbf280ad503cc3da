"""The school key (PKCS#12) and PAdES signing; verification lives in selfcheck.verification."""
