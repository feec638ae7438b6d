"""Rights: the consent and rights registry (`registry`) and the consent checks asked of it (`consent`)."""
