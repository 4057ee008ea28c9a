"""Engine adapters: the only code that imports MkDocs or ProperDocs."""
