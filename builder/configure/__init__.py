"""`voicepkg configure`: the configuration guide's manual steps (1.4-1.5.6) as code, and
`voicepkg onboard`: the app registration of guide 1.2 through Microsoft Graph.

config.py (the ENV.toml file) -> snapshot.py (read the environment, resolve every name) ->
plan.py (pure: the changes, each with its Web API requests) -> apply.py (send them) ->
report.py. Requests are plain data (requests.py), sent by deploy's transport; form XML edits
are pure (formxml.py). graph.py and onboard.py do the app registration. checks.py adds the
results of these steps to `voicepkg doctor`.
"""
