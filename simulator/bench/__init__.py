"""`billing-portal bench`: the service's cost measured beside the floor it stands on, in one run.

Like the simulator, the bench is an outside client: it starts the service as a real uvicorn
server, loads it over HTTP from a separate process, and compares each workload with a baseline
measured in the same run, because absolute numbers on a shared machine lie.
"""
