"""Page bodies, built from plain data. Page modules only register these with Dash."""
