"""The fleet file (`fleet.toml`): which environments there are, in which ring, how each one
authenticates, and when the rollout halts. Pure checks over the parsed TOML; the only I/O is
reading the file and asking whether each settings file exists.

No secret is ever in the fleet file: `auth` names the environment variable that holds a
client secret (or a bearer token, or a certificate path), or the federated setup of the CI
engine. A key or a value that looks like a secret is refused, without printing the value.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BuildError, Diagnostic, diagnostic

DEFAULT_RINGS = {0: "our test environments", 1: "early adopters", 2: "everyone"}
SCENARIOS = ("auto", "cif1", "cif2", "cif2-omnichannel")
FEDERATED = ("github", "azure-devops", "workload-identity")
CREDENTIAL_KEYS = ("secret_env", "certificate_env", "token_env", "federated")
AUTH_KEYS = frozenset({"tenant_id", "client_id", *CREDENTIAL_KEYS})
ENV_KEYS = frozenset(
    {"name", "url", "settings", "scenario", "ring", "tags", "maintenance", "excluded", "auth"}
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
GUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
SECRET_KEY = re.compile(r"(?i)secret|password|passwd|token|api_?key|private|credential")
SECRET_VALUE = (
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}"),  # a JWT (bearer token)
    re.compile(r"[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{30,}"),  # an Entra ID client secret
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{16,}"),
)


@dataclass(frozen=True)
class Auth:
    tenant_id: str = ""
    client_id: str = ""
    secret_env: str = ""  # the NAME of the variable holding the client secret
    certificate_env: str = ""  # the NAME of the variable holding a certificate's path
    token_env: str = ""  # the NAME of the variable holding a bearer token
    federated: str = ""  # github | azure-devops | workload-identity

    @property
    def kind(self) -> str:
        return (
            "federated " + self.federated
            if self.federated
            else "client secret"
            if self.secret_env
            else "certificate"
            if self.certificate_env
            else "bearer token"
            if self.token_env
            else "from the process environment"
        )


@dataclass(frozen=True)
class Window:
    """A weekly maintenance window: starts on `days` at `start`, lasts until `end` (the next
    day when `end` is not after `start`), in `timezone`."""

    days: tuple[int, ...]  # 0 = Monday; empty: every day
    start: int  # minutes after midnight
    end: int
    timezone: str = "UTC"
    text: str = ""

    def is_open(self, when: float) -> bool:
        local = datetime.fromtimestamp(when, ZoneInfo(self.timezone))
        minute, day = local.hour * 60 + local.minute, local.weekday()
        if self.start < self.end:
            return self._starts(day) and self.start <= minute < self.end
        return (self._starts(day) and minute >= self.start) or (
            self._starts((day - 1) % 7) and minute < self.end
        )

    def _starts(self, day: int) -> bool:
        return not self.days or day in self.days


@dataclass(frozen=True)
class Environment:
    name: str
    url: str
    ring: int
    settings: Path | None = None
    scenario: str = "auto"
    tags: tuple[str, ...] = ()
    maintenance: Window | None = None
    excluded: bool = False
    auth: Auth = field(default_factory=Auth)


@dataclass(frozen=True)
class Halt:
    """Halt the rollout when more than `failures` environments, or more than `share` of a
    ring's environments, fail in that ring; with neither set, at the first failure."""

    failures: int | None = None
    share: float | None = None

    def exceeded(self, failed: int, size: int) -> bool:
        if self.failures is None and self.share is None:
            return failed > 0
        return (self.failures is not None and failed > self.failures) or (
            self.share is not None and size > 0 and failed / size > self.share
        )

    def describe(self) -> str:
        rules = ([f"more than {self.failures} failed"] if self.failures is not None else []) + (
            [f"more than {self.share:.0%} failed"] if self.share is not None else []
        )
        return " or ".join(rules) or "the first failure"


@dataclass(frozen=True)
class Fleet:
    path: Path
    environments: tuple[Environment, ...]
    rings: dict[int, str]
    halt: Halt = field(default_factory=Halt)
    jobs: int = 8

    def ring_numbers(self) -> list[int]:
        return sorted({e.ring for e in self.environments})

    def named(self, name: str) -> Environment | None:
        return next((e for e in self.environments if e.name == name), None)


def load_fleet(path: Path) -> Fleet:
    """Read and check a fleet file; every problem at once, nothing else done."""
    if not path.is_file():
        raise BuildError.at(
            "FLT001",
            "fleet file not found",
            file=str(path),
            hint='pass --fleet PATH, or set fleet = "..." under [tool.voicepkg] in pyproject.toml',
            exit_code=2,
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise BuildError.at("FLT002", f"not a TOML file: {error}", file=str(path)) from None
    return parse_fleet(data, path)


def parse_fleet(data: dict[str, Any], path: Path) -> Fleet:
    problems = Problems(str(path))
    problems.secrets(data, "")
    if problems.items:  # say nothing more of a file that holds a secret
        raise BuildError(problems.items)
    unknown = sorted(set(data) - {"fleet", "rings", "environment"})
    for key in unknown:
        problems.add(
            "FLT010", f"unknown table or key '{key}'", "use [fleet], [rings] and [[environment]]"
        )
    rings = _rings(data.get("rings"), problems)
    halt, jobs = _settings(data.get("fleet") or {}, problems)
    raw = data.get("environment") or []
    if not isinstance(raw, list) or not raw:
        problems.add(
            "FLT011",
            "no [[environment]] entries",
            "list each environment as an [[environment]] table",
        )
        raw = []
    envs = [_environment(item, i, rings, path.parent, problems) for i, item in enumerate(raw)]
    seen: set[str] = set()
    for env in envs:
        if env and env.name.lower() in seen:
            problems.add(
                "FLT012",
                f"environment '{env.name}' is listed twice",
                "names are unique (case does not count)",
            )
        if env:
            seen.add(env.name.lower())
    if problems.items:
        raise BuildError(problems.items)
    return Fleet(path, tuple(e for e in envs if e), rings, halt, jobs)


class Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Diagnostic] = []

    def add(self, code: str, message: str, hint: str = "") -> None:
        self.items.append(diagnostic(code, message, file=self.file, hint=hint))

    def secrets(self, value: Any, where: str) -> None:
        """Refuse secrets: a secret-like key holding a value, or a secret-like value."""
        if isinstance(value, dict):
            for key, item in value.items():
                here = f"{where}.{key}" if where else str(key)
                if SECRET_KEY.search(str(key)) and not str(key).endswith("_env") and item:
                    self._secret(here)
                else:
                    self.secrets(item, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.secrets(item, f"{where}[{index}]")
        elif isinstance(value, str) and any(p.search(value) for p in SECRET_VALUE):
            self._secret(where)

    def _secret(self, where: str) -> None:
        self.add(
            "FLT020",
            f"'{where}' looks like a secret; a fleet file never holds one (the value is not shown)",
            "keep secrets in CI secrets or a vault and name "
            'the environment variable: auth = { secret_env = "CONTOSO_CLIENT_SECRET" }',
        )


def _rings(raw: Any, problems: Problems) -> dict[int, str]:
    if raw is None:
        return dict(DEFAULT_RINGS)
    rings: dict[int, str] = {}
    if not isinstance(raw, dict):
        problems.add("FLT013", "[rings] maps ring numbers to names", 'e.g. 0 = "internal"')
        return rings
    for key, name in raw.items():
        if not str(key).isdigit() or not isinstance(name, str):
            problems.add(
                "FLT013",
                f"ring '{key}': a ring is a number with a name",
                'e.g. 1 = "early adopters"',
            )
            continue
        rings[int(key)] = name
    return rings


def _settings(raw: Any, problems: Problems) -> tuple[Halt, int]:
    if not isinstance(raw, dict):
        problems.add("FLT014", "[fleet] must be a table")
        return Halt(), 8
    for key in sorted(set(raw) - {"jobs", "halt"}):
        problems.add("FLT014", f"[fleet] has an unknown key '{key}'", "known: jobs, halt")
    jobs = raw.get("jobs", 8)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or not 1 <= jobs <= 256:
        problems.add("FLT014", "[fleet] jobs must be a whole number from 1 to 256")
        jobs = 8
    halt = raw.get("halt", {})
    if not isinstance(halt, dict) or set(halt) - {"failures", "share"}:
        problems.add(
            "FLT014",
            "[fleet] halt is a table of failures and share",
            "e.g. halt = { failures = 2, share = 0.2 }",
        )
        return Halt(), jobs
    failures, share = halt.get("failures"), halt.get("share")
    if (
        failures is not None
        and (not isinstance(failures, int) or isinstance(failures, bool) or failures < 0)
    ) or (share is not None and (not isinstance(share, int | float) or not 0 <= share < 1)):
        problems.add(
            "FLT014",
            "[fleet] halt: failures is a count (0 or more), share a fraction from 0 up to 1",
            "e.g. halt = { failures = 2, share = 0.2 }",
        )
        return Halt(), jobs
    return Halt(failures, None if share is None else float(share)), jobs


def _environment(
    item: Any, index: int, rings: dict[int, str], base: Path, problems: Problems
) -> Environment | None:
    if not isinstance(item, dict):
        problems.add("FLT015", f"environment #{index + 1} is not a table")
        return None
    name = item.get("name")
    label = f"environment '{name}'" if isinstance(name, str) else f"environment #{index + 1}"
    before = len(problems.items)
    for key in sorted(set(item) - ENV_KEYS):
        problems.add(
            "FLT015", f"{label}: unknown key '{key}'", f"known: {', '.join(sorted(ENV_KEYS))}"
        )
    if not isinstance(name, str) or not NAME.fullmatch(name):
        problems.add(
            "FLT016",
            f"{label}: name must be letters, digits, '-', '_' or '.' "
            "(at most 63, starting with a letter or digit)",
        )
    url = _url(item.get("url"), label, problems)
    ring = item.get("ring")
    if not isinstance(ring, int) or isinstance(ring, bool) or ring not in rings:
        known = ", ".join(str(r) for r in sorted(rings))
        problems.add(
            "FLT017",
            f"{label}: unknown ring {ring!r}",
            f"the rings are {known} ([rings] in the fleet file)",
        )
    scenario = item.get("scenario", "auto")
    if scenario not in SCENARIOS:
        problems.add(
            "FLT018", f"{label}: unknown scenario {scenario!r}", f"one of {', '.join(SCENARIOS)}"
        )
    settings = _settings_file(item.get("settings"), label, base, problems)
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.add("FLT019", f"{label}: tags is a list of strings")
        tags = []
    excluded = item.get("excluded", False)
    if not isinstance(excluded, bool):
        problems.add("FLT019", f"{label}: excluded is true or false")
    window = _window(item.get("maintenance"), label, problems)
    auth = _auth(item.get("auth"), label, problems)
    if len(problems.items) > before:
        return None
    assert isinstance(ring, int)
    return Environment(
        str(name), url, ring, settings, str(scenario), tuple(tags), window, bool(excluded), auth
    )


def _url(raw: Any, label: str, problems: Problems) -> str:
    parts = urlsplit(raw.strip()) if isinstance(raw, str) else None
    loopback = parts is not None and parts.hostname in ("127.0.0.1", "localhost", "::1")
    try:
        port = parts.port if parts else None
    except ValueError:
        port = -1
    ok = (
        parts is not None
        and parts.hostname
        and port != -1
        and (parts.scheme == "https" or (parts.scheme == "http" and loopback))
        and parts.path in ("", "/")
        and not parts.query
        and not parts.fragment
        and not parts.username
    )
    if not ok or parts is None:
        problems.add(
            "FLT021",
            f"{label}: {raw!r} is not an environment URL",
            "https://<org>.crm<N>.dynamics.com, nothing after the host "
            "(plain http only for loopback test servers)",
        )
        return ""
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _settings_file(raw: Any, label: str, base: Path, problems: Problems) -> Path | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw:
        problems.add("FLT022", f"{label}: settings is the path of a deployment settings file")
        return None
    path = base / raw
    if not path.is_file():
        problems.add(
            "FLT022",
            f"{label}: settings file {raw} not found (relative to the fleet file)",
            "write it with: voicepkg settings template --out " + raw,
        )
    return path


def _window(raw: Any, label: str, problems: Problems) -> Window | None:
    if raw is None:
        return None
    hint = (
        'maintenance = { days = ["sat", "sun"], start = "22:00", end = "04:00", '
        'timezone = "Europe/Amsterdam" }'
    )
    if not isinstance(raw, dict) or set(raw) - {"days", "start", "end", "timezone"}:
        problems.add(
            "FLT023", f"{label}: maintenance is a table of days, start, end, timezone", hint
        )
        return None
    days = raw.get("days", [])
    times = [_minutes(raw.get(k)) for k in ("start", "end")]
    zone = raw.get("timezone", "UTC")
    bad_days = not isinstance(days, list) or any(str(d).lower()[:3] not in DAYS for d in days)
    if bad_days or None in times or not _zone_ok(zone):
        problems.add("FLT023", f"{label}: maintenance window not understood", hint)
        return None
    start, end = times[0] or 0, times[1] or 0
    picked = tuple(sorted({DAYS.index(str(d).lower()[:3]) for d in days}))
    text = f"{','.join(DAYS[d] for d in picked) or 'daily'} {raw['start']}-{raw['end']} {zone}"
    return Window(picked, start, end, str(zone), text)


def _minutes(raw: Any) -> int | None:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", raw) if isinstance(raw, str) else None
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def _zone_ok(zone: Any) -> bool:
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return isinstance(zone, str)


def _auth(raw: Any, label: str, problems: Problems) -> Auth:
    if raw is None:
        return Auth()
    if not isinstance(raw, dict):
        problems.add("FLT024", f"{label}: auth is a table")
        return Auth()
    for key in sorted(set(raw) - AUTH_KEYS):
        problems.add(
            "FLT024",
            f"{label}: auth has an unknown key '{key}'",
            f"known: {', '.join(sorted(AUTH_KEYS))}",
        )
    given = [k for k in CREDENTIAL_KEYS if raw.get(k)]
    if len(given) > 1:
        problems.add(
            "FLT024",
            f"{label}: auth takes one of {', '.join(CREDENTIAL_KEYS)}, not {' and '.join(given)}",
        )
    for key in ("secret_env", "certificate_env", "token_env"):
        if raw.get(key) and not (isinstance(raw[key], str) and VARIABLE.fullmatch(raw[key])):
            problems.add(
                "FLT025",
                f"{label}: auth.{key} is the NAME of an environment "
                "variable (the value is not shown)",
                f'e.g. {key} = "CONTOSO_SECRET"',
            )
    if raw.get("federated") and raw["federated"] not in FEDERATED:
        problems.add("FLT024", f"{label}: auth.federated is one of {', '.join(FEDERATED)}")
    for key in ("tenant_id", "client_id"):
        if raw.get(key) and not (isinstance(raw[key], str) and GUID.fullmatch(raw[key])):
            problems.add("FLT026", f"{label}: auth.{key} is a GUID")
    needs_ids = any(raw.get(k) for k in ("secret_env", "certificate_env", "federated"))
    if needs_ids and not (raw.get("tenant_id") and raw.get("client_id")):
        problems.add(
            "FLT026",
            f"{label}: auth needs tenant_id and client_id (the customer's "
            "directory id and the application id, guide 1.2)",
        )
    return Auth(**{k: str(v) for k, v in raw.items() if k in AUTH_KEYS})
