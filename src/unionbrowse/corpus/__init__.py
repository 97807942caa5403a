"""The fact base: a data folder read, validated and cleaned into a corpus of sources and facts."""
