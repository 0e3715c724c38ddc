"""Planner accounts: passwords and their policy, TOTP, server-side sessions and the sign-in
throttle, with their SQL. The web app's Flask-Login glue (webmap/auth) calls these."""
