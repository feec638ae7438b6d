"""Provenance: the audio watermark (`watermark`, its code in `codes`, files in `marking`)."""
