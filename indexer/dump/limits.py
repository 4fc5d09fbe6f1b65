"""A dump worker's memory limits, on their own so that the command line can
name the defaults without importing the orchestrator."""

# The memory limits of a worker (MiB), as nix-eval-jobs has them: past the
# soft one, a worker is replaced by a fresh one between two batches; past the
# hard one, it is killed at once, and the attribute it was on is evaluated
# again in a fresh worker. Chosen from bench/bench_memory.py (README, "How
# a dump loses nothing").
DEFAULT_MAX_MEMORY_MB = 4096
DEFAULT_RECYCLE_MEMORY_MB = 2048
