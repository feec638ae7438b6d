"""The listening side: the play log as imported (`plays`), the instance's catalogue (`tracks`),
what each track is like (`features`), the taste model that recommends (`taste`), and the
listening simulator its evaluation and benchmark learn from (`simulate`)."""
