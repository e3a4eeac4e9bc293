"""Ray job: `rayscore evaluate` on the cluster the job runs in.

    ray job submit --working-dir . -- python jobs/evaluate.py drum_roles --input ... --output ...
"""

from _entry import run

if __name__ == "__main__":
    run("evaluate")
