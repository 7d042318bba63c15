"""Deploy the package to a Dataverse environment.

package_contents.py (what to install) -> state.py (what the environment has) -> plan.py
(pure: what to do) -> apply.py (do it: backends.py over jobs.py + transport.py for the Web API,
or pac_cli.py) -> checks.py, report.py. Requests are plain data (webapi.py, batch.py); credentials
come from auth.py; every printed line passes secrets.mask.
"""
