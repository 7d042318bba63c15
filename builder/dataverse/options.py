"""Option and status codes the platform fixes.

- A table the solution creates gets two states, Active (0) and Inactive (1), and one status
  reason under each, Active (1) and Inactive (2): every custom table of
  ../shared/reference/corpus exports exactly these (`<states>`, `<statuses>`).
- A publisher's option value prefix is 10,000..99,999 and its custom options are numbered from
  prefix x 10,000; so an option numbered 100,000,000 or higher is a publisher's, not the
  platform's ("Choice value prefix" of a solution publisher,
  https://learn.microsoft.com/power-apps/maker/data-platform/create-solution).
"""

from __future__ import annotations

ACTIVE_STATE, INACTIVE_STATE = 0, 1
ACTIVE_STATUS, INACTIVE_STATUS = 1, 2
# (status reason, state) of a new table's own two status reasons
DEFAULT_STATUSES = frozenset({(ACTIVE_STATUS, ACTIVE_STATE), (INACTIVE_STATUS, INACTIVE_STATE)})

OPTION_VALUE_PREFIX_RANGE = (10000, 99999)
DEFAULT_OPTION_VALUE_PREFIX = 10000
OPTION_VALUES_PER_PREFIX = 10000  # a publisher's options start at prefix x this
FIRST_CUSTOM_OPTION = OPTION_VALUE_PREFIX_RANGE[0] * OPTION_VALUES_PER_PREFIX
