"""Text from data is text in the CLI: markup-like names print as they are, control characters print escaped."""

from __future__ import annotations

import dataclasses
import json

from examops import sample
from tests.conftest import SAMPLE_PLAN, TEST_PIN
from tests.integration.test_cli_check import examops

HOSTILE = ["[/]", "Wang[b]", "\x1b[2J王", "\u202e明小", "李\n四"]
RAW = ("\x1b", "\u202e")


class CliSite:
    def __init__(self, url: str) -> None:
        self.url = url


def hostile_store(tmp_path) -> tuple[CliSite, list]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    site = CliSite(url)
    made = examops(site, "init", "--plan", str(SAMPLE_PLAN), env={"EXAMOPS_PIN": TEST_PIN})
    assert made.returncode == 0, made.stderr
    people = sample.synthetic_people(60)
    people = [dataclasses.replace(p, name=n) for p, n in zip(people, HOSTILE)] + people[len(HOSTILE):]
    roster = sample.write_roster_csv(tmp_path / "roster.csv", people, rooms=2)
    done = examops(site, "roster", "import", str(roster))
    assert done.returncode == 0, done.stderr
    return site, people


def clean(text: str) -> None:
    for raw in RAW:
        assert raw not in text, repr(text)


def test_names_from_the_roster_print_literally(tmp_path):
    site, people = hostile_store(tmp_path)
    for person in people[:len(HOSTILE)]:
        found = examops(site, "candidates", "find", person.ticket)
        assert found.returncode == 0
        clean(found.stdout)
        assert found.stdout.count("\n") == 1, found.stdout  # one candidate, one line: no forged second line
        name = json.loads(examops(site, "candidates", "find", person.ticket, "--json").stdout)[0]["name"]
        shown = name.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e").replace("\n", "\\n")
        assert shown in found.stdout
    assert "[/]" in examops(site, "candidates", "find", people[0].ticket).stdout
    assert "Wang[b]" in examops(site, "candidates", "find", people[1].ticket).stdout


def test_staff_by_and_note_print_escaped(tmp_path):
    site, people = hostile_store(tmp_path)
    staff = "\x1b[2J安检\u202e[/]\n伪造行"
    first = examops(site, "check", people[3].ticket, "--lane", "A", "--staff", staff)
    assert first.returncode == 0, first.stderr
    again = examops(site, "check", people[3].ticket, "--lane", "B", "--staff", "x")
    clean(again.stdout)
    assert "\\x1b[2J安检\\u202e[/]\\n伪造行" in again.stdout and again.stdout.count("\n") == 1
    gone = examops(site, "exit", people[3].ticket, "--reason", "[b]\x1b[31m如厕\n", "--by", "\u202e监考[/]")
    assert gone.returncode == 0, gone.stderr
    clean(gone.stdout)
    assert "[b]\\x1b[31m如厕" in gone.stdout and "\\u202e监考[/]" in gone.stdout and gone.stdout.count("\n") == 1
    held = json.loads(examops(site, "check", people[4].ticket, "--lane", "A", "--staff", "s", "--outcome", "other",
                              "--field", "note=\x1b[2J说明\u202e", "--json").stdout)
    approved = examops(site, "approve", held["event_id"], "--session", "S1", "--level", "chief",
                       "--by", "王\x1b[2J", "--note", "[/]\u202e", env={"EXAMOPS_PIN": TEST_PIN})
    assert approved.returncode == 0, approved.stderr
    clean(approved.stdout)
    assert "chief proctor:王\\x1b[2J" in approved.stdout
    refused = examops(site, "exit", "\x1b[2J999", "--reason", "r", "--by", "b")
    assert refused.returncode == 2
    clean(refused.stderr)
    assert "\\x1b[2J999" in refused.stderr
