"""The mutants' tests run scenarios exactly as the simulator's tests do."""

from tests.simulator.conftest import simulate

__all__ = ["simulate"]
