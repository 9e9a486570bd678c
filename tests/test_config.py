from __future__ import annotations

from pathlib import Path

import pytest

from lod.config import Settings, load_settings
from lod.errors import ConfigError


def test_defaults_without_file_or_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}) == Settings()


def test_layers_file_then_env_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "lod.toml"
    config.write_text(
        '[lod]\nbase_iri = "https://file.example/"\nport = 6000\nlang = "en"\nstore = "from-file"\n',
        encoding="utf-8",
    )
    env = {"LOD_CONFIG": str(config), "LOD_PORT": "7000", "LOD_STORE": "from-env"}
    settings = load_settings(env=env, overrides={"store": "from-override", "lang": None})
    assert settings.base_iri == "https://file.example/"  # file
    assert settings.port == 7000  # env beats file
    assert settings.store == "from-override"  # override beats env
    assert settings.lang == "en"  # a None override does not erase a lower layer


def test_base_iri_gets_trailing_slash() -> None:
    assert (
        load_settings(env={"LOD_BASE_IRI": "https://data.example/lod"}).base_iri
        == "https://data.example/lod/"
    )


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"LOD_PORT": "eighty"}, "port"),
        ({"LOD_VALIDATE": "maybe"}, "validate"),
        ({"LOD_BASE_IRI": "ftp://x/"}, "base_iri"),
        ({"LOD_BASE_IRI": "relative/path/"}, "base_iri"),
        ({"LOD_LANG": "fr"}, "lang"),
        ({"LOD_CONFIG": "/nonexistent/lod.toml"}, "does not exist"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(env=env)
    assert fragment in raised.value.message("en")


def test_unknown_key_in_file_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "lod.toml"
    config.write_text('colour = "blue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="colour"):
        load_settings(config_file=config, env={})


def test_booleans_from_env() -> None:
    assert load_settings(env={"LOD_VALIDATE": "off"}).validate is False
    assert load_settings(env={"LOD_VALIDATE": "Yes"}).validate is True
