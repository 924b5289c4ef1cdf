"""Pure Plotly figure builders: plain data in, ``go.Figure`` out. No Dash imports here."""
