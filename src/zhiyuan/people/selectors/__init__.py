"""Reads for the people app, one module per concept."""
