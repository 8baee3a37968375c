"""Only one logger runs per PC, and a crashed logger does not leave the lock stuck."""
import subprocess
import sys

import pytest

from logger.lock import AlreadyRunning, InstanceLock

from .conftest import REPO_ROOT

HOLD = "import sys, time; from logger.lock import InstanceLock; lock = InstanceLock(sys.argv[1]).acquire(); " \
       "print('held', flush=True); time.sleep(600)"


def test_a_second_instance_is_refused_while_the_first_holds_the_lock(tmp_path):
    first = InstanceLock(str(tmp_path)).acquire()
    holder = subprocess.Popen([sys.executable, "-c", HOLD.replace("time.sleep(600)", "pass"), str(tmp_path)],
                              cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = holder.communicate(timeout=30)
    assert holder.returncode != 0
    assert "another logger is already running on this PC" in err
    first.release()
    assert InstanceLock(str(tmp_path)).acquire() is not None


def test_the_lock_is_free_again_after_the_holder_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning, match=f"process {holder.pid}"):
            InstanceLock(str(tmp_path)).acquire()
    finally:
        holder.kill()
        holder.wait(timeout=30)
    lock = InstanceLock(str(tmp_path)).acquire()
    lock.release()
