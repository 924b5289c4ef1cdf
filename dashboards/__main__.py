"""``python -m dashboards``: serve the dashboards for the database in TRACKER_DATABASE_URL."""

from dashboards.app import main

main()
