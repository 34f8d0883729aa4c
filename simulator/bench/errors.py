"""Why a bench run stopped before it measured anything."""


class BenchFailed(RuntimeError):
    """A server did not start or refused the seeding; the message says which and why."""
