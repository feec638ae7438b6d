"""Rights: the consent and rights registry (`registry`)."""
