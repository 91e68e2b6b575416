"""Training and evaluation of the extraction models, beside :mod:`policygraph.extract`.

Nothing here runs in a build: ``policygraph train`` writes the models the
build path loads (``data/entities.crfsuite``, ``data/facts.json``), and
``policygraph eval --cv K`` measures them by cross-validation over annotated
documents. See ``data/models.md`` for what the shipped models were trained on.
"""
