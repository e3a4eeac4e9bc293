"""Ray Serve application builders."""
