"""Provenance: the audio watermark (`watermark`, its code in `codes`, files in `marking`), and
Content Credentials (`credentials`) signed by a local or brought identity (`identity`), and the
custody ledger (`ledger`)."""
