from seedclean.cli import entry

entry()
