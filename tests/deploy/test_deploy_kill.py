"""A deploy killed half-way (kill -9 while the server imports) and run again completes, and
does not start a second import: it finds the running job and follows it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import CREDENTIAL_VARIABLES, TOKEN, cif1, settings_file
from fakes.packages import BASE, write_package


def voicepkg(fake, package: Path, settings: Path) -> list[str]:  # noqa: ANN001
    return [
        sys.executable,
        "-m",
        "builder",
        "deploy",
        "--env",
        fake.url,
        "--package",
        str(package),
        "--settings",
        str(settings),
        "--json",
        "--timeout",
        "60",
    ]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARIABLES}
    return env | {"DATAVERSE_TOKEN": TOKEN, "VOICEPKG_POLL_INTERVAL": "0.05"}


def wait_for(condition, seconds: float = 30.0) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out waiting for the fake"
        time.sleep(0.02)


def test_kill_9_mid_import_then_rerun_completes_without_a_second_import(fake, tmp_path) -> None:
    cif1(fake)
    fake.hold = True  # the import stays in progress on the server
    package = write_package(tmp_path)
    settings = settings_file(tmp_path, {"enreach_EnreachApiBaseUrl": "https://api.example"})
    first = subprocess.Popen(
        voicepkg(fake, package, settings),
        env=child_env(),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(
            lambda: (
                any(j.polls == 0 for j in fake.jobs.values())
                and len(fake.calls("GET", "asyncoperations(")) >= 2
            )
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert fake.solution(BASE) is None  # nothing finished yet
    fake.hold = False
    second = subprocess.run(
        voicepkg(fake, package, settings),
        env=child_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["solutions"][0]["action"] == "wait"
    assert len(fake.calls("POST", "ImportSolutionAsync")) == 1
    assert fake.solution(BASE)["version"] == "1.0.0.0"
    assert len(fake.settings()) == 5  # the settings the killed run never wrote
