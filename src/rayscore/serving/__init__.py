"""Ray Serve: the app builder (``app.py``), deployments built on the batch predictors, the generic
HTTP route built from each task's declared request (``spec.py``, ``http.py``)."""
