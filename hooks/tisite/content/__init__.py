"""Loading: every source of the repository read, validated and turned into models."""
