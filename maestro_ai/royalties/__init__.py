"""Royalty accounting: a month's plays, a revenue pool and the catalogue's owners and splits in;
statements per rights holder out, under the models the industry argues about (royalties.engine)."""
