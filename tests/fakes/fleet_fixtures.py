"""Many fake Dataverse environments for fleet tests: each a real HTTP server on 127.0.0.1 with
its own bearer token, set up as one of a few kinds, and the fleet file that lists them."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .dataverse import FakeDataverse
from .dv_fleet import FleetDataverse
from .fixtures import FakeClock
from .packages import API_USER_ROLE, BASE, CHANNEL_PROVIDER, Spec, base_zip, multisession_zip

FORM_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "voice phone call form"))
CURRENT, BEHIND = "1.1.0.0", "1.0.0.0"
TUESDAY_2200_UTC = 1_699_999_200.0  # 2023-11-14 22:00 UTC, a Tuesday


def spec(version: str = CURRENT) -> Spec:
    return Spec(version=version, forms={FORM_ID: "phonecall"}, virtual_tables={})


class ThreadClock(FakeClock):
    """Virtual time shared by many threads: sleeping advances it at once."""

    def __init__(self) -> None:
        super().__init__(now=0.0, epoch=TUESDAY_2200_UTC)
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            super().sleep(seconds)


@dataclass
class Env:
    name: str
    kind: str
    ring: int
    token: str
    server: FleetDataverse | None  # None: down
    url: str
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def variable(self) -> str:
        return f"TOKEN_{self.name.upper().replace('-', '_')}"


def healthy(fake: FakeDataverse, version: str) -> None:
    """A CIF 2.0 environment with the package at `version`, configured as the guide says."""
    fake.add_tables("msdyn_channelprovider")
    fake.install(base_zip(spec(version)))
    fake.install(multisession_zip(spec(version)))
    fake.add_app_user("Voice API", ["Voice ApiUser"])
    fake.add_profile(CHANNEL_PROVIDER, "Voice agents")
    for name, value in spec(version).settings.items():
        fake.add_setting(name, value or "someone", value)
    fake.env_values["enreach_EnreachApiBaseUrl"] = "https://api.example.invalid"
    assert API_USER_ROLE and BASE


def closed_port() -> tuple[str, socket.socket]:
    """A loopback URL where nothing listens (an environment that is down), and the socket
    that holds its port (bound, never listening) so no other server of the test gets it."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{holder.getsockname()[1]}", holder


def set_up(kind: str, fake: FleetDataverse) -> None:
    if kind == "fresh":
        fake.add_tables("msdyn_channelprovider")
        return
    healthy(fake, BEHIND if kind in ("behind", "holding") else CURRENT)
    if kind == "holding":
        fake.install(base_zip(spec(CURRENT)), name=BASE + "_Upgrade")
    elif kind == "throttling":
        fake.fault("429", times=3, retry_after="2")
    elif kind == "drift":
        fake.add_setting("CallDurationLimit", "45", "10")
    elif kind == "layer":
        fake.unmanaged_layer(FORM_ID, "Voice for D365 Phone Call")


@contextmanager
def fleet_of(kinds: list[tuple[str, int]], latency: float = 0.0) -> Iterator[list[Env]]:
    """Start one server per (kind, ring); stop them all afterwards."""
    envs: list[Env] = []
    held: list[socket.socket] = []
    try:
        for index, (kind, ring) in enumerate(kinds):
            token = f"token-{index}-{uuid.uuid4().hex[:12]}"
            name = f"{kind}-{index:03d}"
            if kind == "down":
                url, holder = closed_port()
                held.append(holder)
                envs.append(Env(name, kind, ring, token, None, url))
                continue
            fake = FleetDataverse(token, latency).start()
            set_up(kind, fake)
            envs.append(Env(name, kind, ring, token, fake, fake.url))
        yield envs
    finally:
        for env in envs:
            if env.server is not None:
                env.server.stop()
        for holder in held:
            holder.close()


def fleet_toml(
    envs: list[Env],
    folder: Path,
    halt: str = "",
    windows: dict[str, str] | None = None,
    excluded: tuple[str, ...] = (),
) -> Path:
    settings = folder / "settings.json"
    settings.write_text(
        '{"EnvironmentVariables": [{"SchemaName": "enreach_EnreachApiBaseUrl", '
        '"Value": "https://api.example.invalid"}], "ConnectionReferences": []}'
    )
    lines = ["[fleet]", "jobs = 8"] + ([f"halt = {halt}"] if halt else []) + [""]
    for env in envs:
        lines += [
            "[[environment]]",
            f'name = "{env.name}"',
            f'url = "{env.url}"',
            f"ring = {env.ring}",
            'settings = "settings.json"',
            f'tags = ["{env.kind}"]',
            f'auth = {{ token_env = "{env.variable}" }}',
        ]
        if env.name in (windows or {}):
            lines.append(f"maintenance = {(windows or {})[env.name]}")
        if env.name in excluded:
            lines.append("excluded = true")
        lines.append("")
    path = folder / "fleet.toml"
    path.write_text("\n".join(lines))
    return path


def tokens(envs: list[Env]) -> dict[str, str]:
    return {env.variable: env.token for env in envs}
