"""A fake `pac` (Power Platform CLI) for deploy tests, put first on PATH by `install_fake_pac`.

It knows the documented verbs and flags (research/deploy.md §1.1–1.3) and REJECTS anything
else, records its argv (and whether it ran with an isolated HOME and PAC_CLI_SPN_SECRET) in
$FAKE_PAC_LOG, keeps its auth profile under $HOME like pac does, and performs imports against
the fake Dataverse Web API the way pac does (ImportSolutionAsync / StageAndUpgradeAsync /
DeleteAndPromoteAsync, then polling). Knobs: FAKE_PAC_WAIT_SECONDS (give up waiting early,
exit 1 "import failed" while the job goes on, as pac's --max-async-wait-time does),
FAKE_PAC_LIE (print an error, import nothing, exit 0: the launcher bug).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

VALUE, SWITCH = True, False
FLAGS: dict[tuple[str, str], dict[str, tuple[str | None, bool]]] = {
    ("auth", "create"): {
        "--applicationId": ("-id", VALUE),
        "--clientSecret": ("-cs", VALUE),
        "--tenant": ("-t", VALUE),
        "--environment": ("-env", VALUE),
        "--url": ("-u", VALUE),
        "--cloud": ("-ci", VALUE),
        "--certificateDiskPath": ("-cdp", VALUE),
        "--certificatePassword": ("-cp", VALUE),
        "--managedIdentity": ("-mi", SWITCH),
        "--githubFederated": ("-ghf", SWITCH),
        "--azureDevOpsFederated": ("-adof", SWITCH),
        "--deviceCode": ("-dc", SWITCH),
        "--username": ("-un", VALUE),
        "--password": ("-p", VALUE),
        "--name": ("-n", VALUE),
    },
    ("auth", "clear"): {},
    ("solution", "import"): {
        "--path": ("-p", VALUE),
        "--environment": ("-env", VALUE),
        "--async": ("-a", SWITCH),
        "--max-async-wait-time": ("-wt", VALUE),
        "--import-as-holding": ("-h", SWITCH),
        "--stage-and-upgrade": ("-up", SWITCH),
        "--force-overwrite": ("-f", SWITCH),
        "--publish-changes": ("-pc", SWITCH),
        "--activate-plugins": ("-ap", SWITCH),
        "--settings-file": (None, VALUE),
        "--skip-dependency-check": ("-s", SWITCH),
        "--skip-lower-version": ("-slv", SWITCH),
        "--convert-to-managed": ("-cm", SWITCH),
    },
    ("solution", "upgrade"): {
        "--solution-name": ("-sn", VALUE),
        "--async": ("-a", SWITCH),
        "--max-async-wait-time": ("-wt", VALUE),
        "--environment": ("-env", VALUE),
    },
}
CLOUDS = ("Public", "UsGov", "UsGovHigh", "UsGovDod", "China")


class Usage(Exception):
    pass


def parse(argv: list[str]) -> tuple[tuple[str, str], dict[str, Any]]:
    if len(argv) < 2 or (argv[0], argv[1]) not in FLAGS:
        raise Usage(f"Error: Unknown command: {' '.join(argv[:2])}")
    verb = (argv[0], argv[1])
    known = FLAGS[verb]
    aliases = {alias: name for name, (alias, _) in known.items() if alias}
    options: dict[str, Any] = {}
    rest = argv[2:]
    while rest:
        arg = rest.pop(0)
        name = aliases.get(arg, arg)
        if name not in known:
            raise Usage(f"Error: An unknown argument '{arg}' was passed.")
        if known[name][1] is VALUE:
            if not rest or rest[0].startswith("-"):
                raise Usage(f"Error: '{arg}' needs a value.")
            options[name] = rest.pop(0)
        else:
            options[name] = True
    return verb, options


def profile_path() -> Path:
    return Path(os.environ["HOME"]) / ".fakepac" / "authprofiles.json"


def auth_create(options: dict[str, Any]) -> int:
    if len(options.get("--name", "")) > 30:
        raise Usage("Error: --name is at most 30 characters.")
    if options.get("--cloud", "Public") not in CLOUDS:
        raise Usage(f"Error: unknown cloud {options['--cloud']}")
    kinds = [
        k
        for k in (
            "--clientSecret",
            "--certificateDiskPath",
            "--githubFederated",
            "--azureDevOpsFederated",
            "--managedIdentity",
        )
        if k in options
    ]
    if len(kinds) != 1 or "--applicationId" not in options or "--tenant" not in options:
        raise Usage("Error: a service principal needs --applicationId, --tenant and one credential")
    secret = options.get("--clientSecret", "")
    if secret.startswith("data:text/plain;base64,"):
        base64.b64decode(secret.split(",", 1)[1], validate=True)
    path = profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "environment": options.get("--environment", ""),
                "applicationId": options["--applicationId"],
            }
        )
    )
    print("Authentication profile created")
    return 0


def solution_command(verb: str, options: dict[str, Any]) -> int:
    if not profile_path().exists():
        print("Error: No profiles were found on this computer. Please run 'pac auth create'.")
        return 1
    profile = json.loads(profile_path().read_text())
    url = options.get("--environment") or profile["environment"]
    if os.environ.get("FAKE_PAC_LIE"):
        print("Error: Something went wrong (and the launcher exits 0).")
        return 0
    client = httpx.Client(
        base_url=url.rstrip("/") + "/api/data/v9.2/",
        headers={
            "Authorization": f"Bearer {os.environ['FAKE_PAC_TOKEN']}",
            "OData-Version": "4.0",
            "OData-MaxVersion": "4.0",
            "Accept": "application/json",
        },
    )
    with client:
        if verb == "upgrade":
            answer = post(
                client, "DeleteAndPromoteAsync", {"UniqueName": options["--solution-name"]}
            )
        else:
            answer = post(client, *import_request(options))
        if answer is None:
            return 1
        code = wait(client, answer["AsyncOperationId"], options)
        if code == 0 and options.get("--publish-changes"):
            client.post("PublishAllXml", json={})
        return code


def import_request(options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if options.get("--import-as-holding") and options.get("--stage-and-upgrade"):
        raise Usage("Error: --import-as-holding and --stage-and-upgrade are exclusive.")
    path = Path(options["--path"])
    if not path.is_file():
        raise Usage(f"Error: file not found: {path}")
    body: dict[str, Any] = {
        "OverwriteUnmanagedCustomizations": bool(options.get("--force-overwrite")),
        "PublishWorkflows": bool(options.get("--activate-plugins")),
        "CustomizationFile": base64.b64encode(path.read_bytes()).decode(),
        "ImportJobId": str(uuid.uuid4()),
    }
    if "--settings-file" in options:
        body["ComponentParameters"] = parameters(Path(options["--settings-file"]))
    if options.get("--stage-and-upgrade"):
        return "StageAndUpgradeAsync", body
    return "ImportSolutionAsync", body | {
        "HoldingSolution": bool(options.get("--import-as-holding"))
    }


def parameters(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text())
    out = [
        {
            "@odata.type": "Microsoft.Dynamics.CRM.environmentvariablevalue",
            "schemaname": v["SchemaName"],
            "value": v["Value"],
        }
        for v in data.get("EnvironmentVariables", [])
        if v.get("Value")
    ]
    out += [
        {
            "@odata.type": "Microsoft.Dynamics.CRM.connectionreference",
            "connectionreferencelogicalname": c["LogicalName"],
            "connectorid": c["ConnectorId"],
            "connectionid": c["ConnectionId"],
        }
        for c in data.get("ConnectionReferences", [])
    ]
    return out


def post(client: httpx.Client, action: str, body: dict[str, Any]) -> dict[str, Any] | None:
    response = client.post(action, json=body)
    if response.status_code >= 400:
        print(f"Error: {response.json()['error']['message']}")
        return None
    return dict(response.json())


def wait(client: httpx.Client, operation: str, options: dict[str, Any]) -> int:
    limit = float(
        os.environ.get("FAKE_PAC_WAIT_SECONDS")
        or 60 * float(options.get("--max-async-wait-time", "60"))
    )
    start = time.monotonic()
    while time.monotonic() - start < limit:
        row = client.get(
            f"asyncoperations({operation})", params={"$select": "statecode,statuscode,message"}
        ).json()
        if row["statecode"] == 3:
            if row["statuscode"] == 30:
                print("Solution Imported successfully.")
                return 0
            print(f"Error: Solution import failed: {row['message']}")
            return 1
        print("Processing asynchronous operation...")
        time.sleep(0.02)
    print("Error: Solution import failed: the maximum wait time was exceeded.")
    return 1


def record(argv: list[str]) -> None:
    log = os.environ.get("FAKE_PAC_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(
                json.dumps(
                    {
                        "argv": argv,
                        "home": os.environ.get("HOME", ""),
                        "spn_secret": os.environ.get("PAC_CLI_SPN_SECRET", ""),
                        "agent": os.environ.get("PP_TOOLS_AUTOMATION_AGENT", ""),
                    }
                )
                + "\n"
            )


def main(argv: list[str]) -> int:
    record(argv)
    try:
        verb, options = parse(argv)
        if verb == ("auth", "create"):
            return auth_create(options)
        if verb == ("auth", "clear"):
            profile_path().unlink(missing_ok=True)
            print("Authentication profiles and token cache removed")
            return 0
        return solution_command(verb[1], options)
    except Usage as problem:
        print(str(problem))
        return 1


def install_fake_pac(folder: Path) -> Path:
    """Write an executable `pac` into `folder` that runs this module; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "pac"
    tests = Path(__file__).resolve().parent.parent
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(tests)!r})\n"
        "from fakes.pac_fake import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    script.chmod(0o755)
    return script
