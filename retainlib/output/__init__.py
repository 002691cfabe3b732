"""Output: the files retainlib writes, and the rules that keep a client's own files safe.

:mod:`retainlib.output.tables` writes customer tables (CSV and xlsx, never a
live formula: :mod:`retainlib.output.cells`); :mod:`retainlib.output.folders`
makes sure nothing retainlib did not write is ever replaced.
"""
