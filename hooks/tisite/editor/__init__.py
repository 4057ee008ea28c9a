"""The web editor (Decap CMS) at /admin/."""
