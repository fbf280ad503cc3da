"""The school key (PKCS#12), PAdES signing and signature verification."""
