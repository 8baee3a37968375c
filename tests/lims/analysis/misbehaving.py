"""A method that misbehaves on request (raises, hangs, eats memory, writes too much, ignores SIGTERM), for tests."""
import signal
import time
from typing import Literal

from pydantic import Field

from lims.analysis.params import Params as BaseParams

TITLE = "Misbehaving"
VERSION = "1"
ACCEPTS = ["image"]


class Params(BaseParams):
    behaviour: Literal["succeed", "raise", "hang", "memory", "write", "stubborn", "slow"] = "succeed"
    seconds: float = Field(0.0, ge=0, le=600)


def run(context) -> dict:
    behaviour = context.params.behaviour
    print("starting", behaviour, flush=True)
    context.progress(0.1, f"behaving: {behaviour}")
    if behaviour == "raise":
        raise RuntimeError("the method gave up on purpose")
    if behaviour in ("hang", "stubborn"):
        if behaviour == "stubborn":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            time.sleep(0.1)
    if behaviour == "memory":
        hog = bytearray(64 * 1024**3)  # far beyond the address-space limit
        return {"size": len(hog)}
    if behaviour == "write":
        with open(context.out / "big.bin", "wb") as handle:
            while True:
                handle.write(b"\0" * 1024 * 1024)
    if behaviour == "slow":
        steps = 10
        for step in range(steps):
            context.progress(step / steps, f"step {step + 1} of {steps}")
            time.sleep(context.params.seconds / steps)
    (context.out / "ok.txt").write_text("fine\n")
    return {"behaviour": behaviour}
