import json
import os
import stat

from narrative_coach.settings import load_settings, save_settings


def test_library_folder_is_private_and_created(library_home):
    settings = load_settings()
    assert settings.home == library_home
    assert library_home.is_dir()
    assert stat.S_IMODE(os.stat(library_home).st_mode) == 0o700


def test_default_database_is_sqlite_in_library(library_home):
    settings = load_settings()
    assert settings.database_url == f"sqlite:///{library_home / 'library.sqlite3'}"


def test_choices_persist(library_home):
    settings = load_settings().with_changes(author_name="Coach Rivera", input_device="USB mic")
    save_settings(settings)
    again = load_settings()
    assert again.author_name == "Coach Rivera"
    assert again.input_device == "USB mic"


def test_environment_overrides_win_but_are_not_saved(library_home, monkeypatch):
    save_settings(load_settings().with_changes(model="small.en"))
    monkeypatch.setenv("NARRATIVE_COACH_DB_URL", "postgresql+psycopg://u@127.0.0.1/x")
    monkeypatch.setenv("NARRATIVE_COACH_MODEL", "tiny.en")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://u@127.0.0.1/x"
    assert settings.model == "tiny.en"
    save_settings(settings.with_changes(author_name="A"))
    stored = json.loads((library_home / "settings.json").read_text())
    assert stored["model"] == "small.en"
    assert "db_url" not in stored or stored["db_url"] == ""
    assert stored["author_name"] == "A"


def test_damaged_settings_file_is_kept_aside(library_home):
    library_home.mkdir(parents=True)
    (library_home / "settings.json").write_text("{not json")
    settings = load_settings()
    assert settings.author_name == ""
    assert (library_home / "settings.json.damaged").exists()


def test_folder_chosen_in_settings_is_used_by_every_later_start(monkeypatch, tmp_path):
    from narrative_coach.settings import default_home, remember_home

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("NARRATIVE_COACH_HOME", raising=False)
    chosen = tmp_path / "Speeches"
    remember_home(chosen)
    assert default_home() == chosen
    assert load_settings().home == chosen
    monkeypatch.setenv("NARRATIVE_COACH_HOME", str(tmp_path / "env"))
    assert default_home() == tmp_path / "env"
