"""The per-platform YAML files load into the strict model; typos fail at load time."""

from __future__ import annotations

import copy

import pytest
import yaml
from pydantic import ValidationError

from netsteward.tasks.core.errors import BadInput
from netsteward.tasks.platforms import (
    PLATFORM_DIR,
    PLATFORMS,
    Platform,
    load_platform,
)


@pytest.mark.parametrize("name", PLATFORMS)
def test_every_platform_loads(name: str) -> None:
    p = load_platform(name)
    assert p.name == name
    assert p.collect[0].kind == "config"
    assert p.collect[0].suffix == "cfg"


def test_only_brocade_collects_zoning() -> None:
    zoning = [n for n in PLATFORMS if any(c.kind == "zoning" for c in load_platform(n).collect)]
    assert zoning == ["brocade_fos"]


def test_no_stray_platform_files() -> None:
    assert sorted(p.stem for p in PLATFORM_DIR.glob("*.yaml")) == sorted(PLATFORMS)


def _raw(name: str) -> dict:
    return yaml.safe_load((PLATFORM_DIR / f"{name}.yaml").read_text())


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.update(secret_patterns=[]), "Extra inputs are not permitted"),
        (lambda d: d["collect"][0].update(end_marke="x"), "Extra inputs are not permitted"),
        (lambda d: d.update(hooks=["no_such_hook"]), "unknown hook"),
        (lambda d: d.update(volatile=["(unclosed"]), "bad line regex"),
        (
            lambda d: d["secrets"].append({"name": "x", "pattern": "password (\\S+)"}),
            "no named group",
        ),
        (lambda d: d.update(collect=[]), "at least 1"),
    ],
)
def test_strict_model_rejects(mutate, needle: str) -> None:
    data = copy.deepcopy(_raw("huawei_vrp"))
    mutate(data)
    with pytest.raises(ValidationError, match=needle):
        Platform.model_validate(data)


def test_unknown_platform_is_bad_input() -> None:
    with pytest.raises(BadInput, match="unknown platform 'juniper_junos'"):
        load_platform("juniper_junos")


def test_prompts_match_real_prompts() -> None:
    import re

    samples = {
        "huawei_vrp": ["<YM-BASE-ACC-001>", "[YM-BASE-ACC-001]", "HRP_M<YM-EXT-FW-01>"],
        "hp_comware": ["<test5130st1>", "[YM-DEV-ACC-014]"],
        "cisco_ios": ["LAB-SW123_9200L#", "R1>", "R1(config)#"],
        "cisco_asa": ["LAB-ASA12-Oxidized-IPv6# ", "asa/pri/act#"],
        "fortinet": ["FortiMgr2 # ", "FGT-1 (global) # "],
        "hillstone_stoneos": ["YM-EXT-FW-01# "],
        "brocade_fos": ["YM-SAN-FC-01:FID128:admin> "],
    }
    for name, prompts in samples.items():
        rx = re.compile(load_platform(name).prompt)
        for prompt in prompts:
            assert rx.match(prompt), (name, prompt)


def test_configuration_mode_prompts_match_every_mode() -> None:
    import re

    samples = {
        "huawei_vrp": ["<SW-1>", "[SW-1]", "[SW-1-GigabitEthernet0/0/1]", "[~SW-1]", "HRP_M[SW-1]"],
        "hp_comware": ["<SW-1>", "[SW-1]", "[SW-1-Ten-GigabitEthernet1/0/49]"],
        "cisco_ios": ["SW-1#", "SW-1(config)#", "SW-1(config-if)#", "SW-1>"],
    }
    for name, prompts in samples.items():
        mode = load_platform(name).config_mode
        assert mode is not None
        rx = re.compile(mode.prompt_for("SW-1"))
        for prompt in prompts:
            assert rx.search(prompt), (name, prompt)
        assert not rx.search(prompt.replace("SW-1", "SW-2")), name
    configured = [n for n in PLATFORMS if load_platform(n).config_mode is not None]
    assert configured == ["huawei_vrp", "hp_comware", "cisco_ios"]


def test_a_configuration_prompt_without_the_device_name_is_refused() -> None:
    data = copy.deepcopy(_raw("huawei_vrp"))
    data["config_mode"]["prompt"] = r"[<\[][^>\]]+[>\]]"
    with pytest.raises(ValidationError, match=r"must contain \{base\}"):
        Platform.model_validate(data)


def test_unknown_netmiko_fixes_are_refused() -> None:
    data = copy.deepcopy(_raw("huawei_vrp"))
    data["netmiko_fixes"] = ["vrp_config_mode_chek"]
    with pytest.raises(ValidationError, match="unknown netmiko fix"):
        Platform.model_validate(data)


def test_each_firewall_configuration_is_identified_as_its_own_platform() -> None:
    """`identify:` (what `audit firewall` tells a backed-up file's platform by) matches exactly
    one platform for every firewall sample, and none for the switches' configurations."""
    from pathlib import Path

    from netsteward.tasks.firewall.source import detect_platform

    golden = Path(__file__).resolve().parents[2] / "golden"
    firewalls = [
        *sorted(golden.glob("*/fw_*.cfg")),
        golden / "cisco_asa" / "asa5512_9_12.raw",
        golden / "fortinet" / "fmg_7_4.raw",
        golden / "hillstone_stoneos" / "sg6000_5_5.raw",
    ]
    for path in firewalls:
        assert detect_platform(path.read_text(encoding="utf-8")) == path.parent.name, path
    for switch in ("hp_comware/s5130_7_1_full.raw", "cisco_ios/c9200l_17_09.raw"):
        assert detect_platform((golden / switch).read_text(encoding="utf-8")) is None


# prompts of the platforms whose log-in is data (`login:`): real ones (the samples above) and
# the prefixes HA pairs put before them
LOGIN_PROMPTS = [
    ("huawei_vrp", "<YM-BASE-ACC-001>"),
    ("huawei_vrp", "HRP_M<YM-EXT-FW-01>"),
    ("huawei_vrp", "HRP_S[YM-EXT-FW-02]"),
    ("hp_comware", "<test5130st1>"),
    ("hp_comware", "RBM_P<YM-DEV-FW-01>"),
    ("cisco_ios", "LAB-SW123_9200L#"),
    ("cisco_ios", "R1>"),
    ("cisco_ios", "YM-CORE-ROUTER-0001#"),  # longer than the 16 characters IOS keeps
]


@pytest.mark.parametrize(("name", "prompt"), LOGIN_PROMPTS)
def test_the_log_in_names_the_device_as_netmikos_driver_does(name: str, prompt: str) -> None:
    """The device's name the session works with (the base prompt, in every configuration
    prompt and every read's end) is what netmiko's own driver of the platform makes of the
    same prompt: its `set_base_prompt`, run on the stock class with the prompt given."""
    import re

    from netmiko.ssh_dispatcher import CLASS_MAPPER_BASE

    from netsteward.tasks.core.connection import login_base

    platform = load_platform(name)
    assert platform.login is not None
    found = re.match(platform.prompt, prompt)
    assert found, prompt
    stock = CLASS_MAPPER_BASE[platform.netmiko_device_type](
        host="127.0.0.1", device_type=platform.netmiko_device_type, auto_connect=False
    )
    stock.find_prompt = lambda *args, **kwargs: prompt
    assert login_base(platform.login, found) == stock.set_base_prompt()


def test_a_login_without_the_device_name_in_the_prompt_is_refused() -> None:
    data = copy.deepcopy(_raw("huawei_vrp"))
    data["prompt"] = r"^[<\[][^\s<>\[\]]+[>\]]\s*$"
    with pytest.raises(ValidationError, match=r"must name the device: \(\?P<base>"):
        Platform.model_validate(data)
    del data["login"]  # netmiko's driver finds the name itself
    assert Platform.model_validate(data).login is None
