"""The import path Ray Serve configs name (``ray_apps.app:build_app``): the builder lives in the library.

Example (configs/serve.yaml)::

    applications:
      - import_path: ray_apps.app:build_app
        args: {tasks: {drum_roles: {default_model: production}}}
"""

from rayscore.serving.app import ServeArgs, TaskServeConfig, build_app

__all__ = ["ServeArgs", "TaskServeConfig", "build_app"]
