"""Exports: plain data out of the store; no terminal code here."""
