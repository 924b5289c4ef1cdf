"""Dash pages. Dash imports these modules itself when the app is created (``use_pages``)."""
