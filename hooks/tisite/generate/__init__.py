"""Generation: views and pages made from the models, rendered to HTML by the core."""
