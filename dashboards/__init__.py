"""Dash dashboards for the tracker. They read through ``tracker.queries`` and never write."""
