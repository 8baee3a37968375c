"""A method that does nothing: what a run costs beyond its method's own work."""
from lims.analysis.params import Params as BaseParams

TITLE = "Nothing"
VERSION = "1"
ACCEPTS = []


class Params(BaseParams):
    pass


def run(context) -> dict:
    return {}
