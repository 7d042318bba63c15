"""Render the model into archive entries: solution zips, the CMT data zip, ImportConfig.xml.

`render_solution` gives every entry of one solution zip, `render_config_data` the entries of
the configuration data zip, `render_import_config` the Package Deployer import settings.
All three are pure: model in, {archive path: bytes} out; `builder.build` zips and writes.
"""

from __future__ import annotations

from .configdata_zip import render_config_data
from .importconfig import render_import_config
from .solution import render_solution

__all__ = ["render_config_data", "render_import_config", "render_solution"]
