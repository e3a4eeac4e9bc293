"""Ray job: `rayscore tune` on the cluster the job runs in.

    ray job submit --working-dir . -- python jobs/tune.py drum_roles ...
"""

from _entry import run

if __name__ == "__main__":
    run("tune")
