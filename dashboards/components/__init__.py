"""Layout factories shared by the pages."""
