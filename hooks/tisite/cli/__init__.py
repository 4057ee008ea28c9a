"""The ``ti`` command line."""
