"""The mutation check: does some scenario fail when a webhook handler or a mirror rule breaks?

`python -m tests.mutation` plays every scenario against every mutant (catalog.py), each in a
child process (child.py), and reports the score and the survivors; test_mutants.py runs a
representative handful in the suite. It lives with the tests, not in the simulator, because it
reaches into the service's internals, which the simulator (an outside client) may not import.
"""
