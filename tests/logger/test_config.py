"""Settings come from the INI file next to the program, and the command line overrides them."""
import pytest

from logger.config import ConfigError, load

from .conftest import cli_args


def _ini(tmp_path, text):
    path = tmp_path / "logger.ini"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_it_reads_every_key_of_the_ini_file(tmp_path):
    path = _ini(tmp_path, "[logger]\nserver = https://lims.example.org/\ntoken = abc123\nfolder = D:\\Data\n"
                          "include = *.dm3; *.tif\nexclude = ~*, *.tmp\nchunk_size = 1048576\nheartbeat = 30\n"
                          "single_request_max = 0\n"
                          "settle = 2.5\nstate_dir = C:\\logger-state\nhostname = TITAN-PC\n")
    config = load(cli_args("--config", path))
    assert config.server == "https://lims.example.org"
    assert config.token == "abc123"
    assert config.folder == "D:\\Data"
    assert config.include == ["*.dm3", "*.tif"]
    assert config.exclude == ["~*", "*.tmp"]
    assert config.chunk_size == 1048576
    assert config.single_request_max == 0
    assert config.heartbeat == 30.0
    assert config.settle == 2.5
    assert config.hostname == "TITAN-PC"
    assert config.path == path


def test_the_command_line_overrides_the_file(tmp_path):
    path = _ini(tmp_path, "[logger]\nserver = http://a\ntoken = file-token\nfolder = /nowhere\n")
    config = load(cli_args("--config", path, "--server", "http://b:8000", "--token", "cli-token",
                           "--folder", str(tmp_path), "--chunk-size", "65536", "--single-request-max", "1000"))
    assert (config.server, config.token, config.folder, config.chunk_size, config.single_request_max) == (
        "http://b:8000", "cli-token", str(tmp_path), 65536, 1000)
    config.check()


def test_it_names_the_missing_settings(tmp_path):
    config = load(cli_args("--config", _ini(tmp_path, "[logger]\nserver = http://a\n")))
    with pytest.raises(ConfigError, match="missing setting\\(s\\) token, folder"):
        config.check()


def test_it_rejects_a_malformed_number_saying_which_key(tmp_path):
    with pytest.raises(ConfigError, match="chunk_size must be a number, not 'big'"):
        load(cli_args("--config", _ini(tmp_path, "[logger]\nchunk_size = big\n")))


def test_it_rejects_a_config_file_that_does_not_exist(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load(cli_args("--config", str(tmp_path / "absent.ini")))


def test_it_rejects_a_watched_folder_that_does_not_exist(tmp_path):
    config = load(cli_args("--config", _ini(tmp_path, "[logger]\n"), "--server", "http://a", "--token", "t",
                           "--folder", str(tmp_path / "absent")))
    with pytest.raises(ConfigError, match="watched folder .* does not exist"):
        config.check()


def test_a_new_file_up_to_4_gib_goes_in_one_request_unless_told_otherwise(tmp_path):
    config = load(cli_args("--config", _ini(tmp_path, "[logger]\n")))
    assert config.single_request_max == 4 * 1024**3
