"""Built-in python methods. Each module is one method and defines:

- `TITLE`, `DESCRIPTION`, `VERSION` (text) and `ACCEPTS` (the signal types of the files it reads);
- `Params`, a subclass of `lims.analysis.params.Params` (its JSON Schema is what forms and the API show);
- `run(context) -> dict`: reads `context.inputs`, writes its output files into `context.out` and
  returns a small JSON summary; `context.progress(fraction, message)` reports how far it got.

Methods run in a child process without Django (`lims.analysis.child`), so they import only pure code.
"""
