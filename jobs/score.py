"""Ray job: `rayscore score` on the cluster the job runs in.

    ray job submit --working-dir . -- python jobs/score.py drum_roles --input ... --output ...
"""

from _entry import run

if __name__ == "__main__":
    run("score")
