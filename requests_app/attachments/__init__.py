"""Attachments: what a file really is (checks: pure), the virus scanner (scanning), keeping files on a
request (services), the upload field (forms)."""
