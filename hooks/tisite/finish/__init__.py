"""Finishing: what every page goes through (sanitiser, tables, typography, policy)."""
