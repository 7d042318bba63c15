"""The fleet: one package to every customer environment, in rings, with one status page.

fleetfile.py (the fleet file: environments, rings, halting; refuses secrets) -> access.py
(one environment's credentials and transport) -> status.py / preview.py / rollout.py (read,
plan, deploy many environments with a bound on concurrency, over the deploy library) ->
rows.py (one row per environment, from live results or saved reports) -> report.py and
page.py (text, Markdown, JSON, JUnit, HTML) and matrix.py (CI job matrices).
"""
