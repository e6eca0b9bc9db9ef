"""Pages of the hours app."""
