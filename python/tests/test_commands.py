"""The commands file: parsing, refusals, and the ownership rules."""

import json
import os

from nntop.commands import Command, CommandReader, parse


def read(reader: CommandReader) -> list[Command]:
    """The commands appended since the reader's last read."""
    return [parse(line) for line in reader.read_lines()]


def test_each_command_reads_with_its_fields():
    assert parse('{"id":1,"command":"pause"}').name == "pause"
    step = parse('{"id":2,"command":"step","count":3}')
    assert (step.id, step.name, step.count, step.problem) == (2, "step", 3, None)
    assert parse('{"id":3,"command":"set-lr","lr":0.01}').lr == 0.01
    assert parse('{"id":4,"command":"scale-lr","factor":0.5}').factor == 0.5


def test_garbage_is_a_refusal_not_an_exception():
    assert parse("not json").problem == "not a JSON line"
    assert parse("[1,2]").problem == "not a JSON object"
    assert parse('{"id":5,"command":"explode"}').problem == "unknown command 'explode'"
    assert parse('{"id":6,"command":"set-lr","lr":-1}').problem == "lr must be a positive number"
    assert parse('{"id":7,"command":"set-lr","lr":"fast"}').problem == "lr must be a positive number"
    assert parse('{"id":8,"command":"step","count":0}').problem.startswith("count must be")
    assert parse('{"id":true,"command":"pause"}').id is None


def test_reads_only_what_was_appended_and_waits_for_whole_lines(tmp_path):
    path = tmp_path / "commands.jsonl"
    reader = CommandReader(path)
    assert read(reader) == []  # no file yet
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.write(fd, b'{"id":1,"command":"pause"}\n{"id":2,"comm')
    assert [c.id for c in read(reader)] == [1]
    os.write(fd, b'and":"resume"}\n')
    assert [(c.id, c.name) for c in read(reader)] == [(2, "resume")]
    assert read(reader) == []
    os.close(fd)


def test_a_file_others_may_write_is_ignored_with_one_warning(tmp_path, capsys):
    path = tmp_path / "commands.jsonl"
    path.write_text(json.dumps({"id": 1, "command": "stop"}) + "\n")
    os.chmod(path, 0o666)
    reader = CommandReader(path)
    assert read(reader) == []
    assert read(reader) == []
    assert capsys.readouterr().err.count("writable by other users") == 1
    os.chmod(path, 0o600)
    assert [c.name for c in read(reader)] == ["stop"]


def test_a_link_is_not_followed(tmp_path):
    real = tmp_path / "elsewhere.jsonl"
    real.write_text('{"id":1,"command":"stop"}\n')
    os.chmod(real, 0o600)
    (tmp_path / "commands.jsonl").symlink_to(real)
    assert read(CommandReader(tmp_path / "commands.jsonl")) == []


def test_a_file_owned_by_another_user_is_ignored(tmp_path, capsys):
    import pytest

    if os.getuid() != 0:
        pytest.skip("only root can give a file away")
    path = tmp_path / "commands.jsonl"
    path.write_text('{"id":1,"command":"stop"}\n')
    os.chmod(path, 0o600)
    os.chown(path, 65534, 65534)
    assert read(CommandReader(path)) == []
    assert "owned by another user" in capsys.readouterr().err
