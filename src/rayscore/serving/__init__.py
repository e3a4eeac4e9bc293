"""Ray Serve deployments built on the batch predictors (see ``ray_apps/app.py`` for the builder)."""
