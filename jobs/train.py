"""Ray job: `rayscore train` on the cluster the job runs in.

    ray job submit --working-dir . -- python jobs/train.py drum_roles ...
"""

from _entry import run

if __name__ == "__main__":
    run("train")
