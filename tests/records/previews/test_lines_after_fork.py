"""Element lines are looked up in a process forked after its parent used the line database (as readers are)."""
import os

import xraydb

from records.previews import lines


def _in_forked_child(work) -> int:
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        try:
            os._exit(0 if work() else 1)
        except BaseException:
            os._exit(2)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_forked_reader_finds_element_lines_after_its_parent_used_the_database():
    assert lines._energies("Fe", False)  # the parent queries the database first
    assert xraydb.xray_lines("Ni")  # and so does anything else in the parent using xraydb's own connection

    def child_work():
        found = dict(lines._energies("Cu", False))
        return abs(found["Cu Ka"] - 8047.8) < 5

    assert _in_forked_child(child_work) == 0
