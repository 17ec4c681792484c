"""The commands of ``chokemap``, by family; ``cli.py`` registers them on its group.

:mod:`.common` holds what they share (the session, the shared options, output, errors);
:mod:`.browse`, :mod:`.supply` and :mod:`.data` hold the commands.  Nothing here imports
``cli.py``.
"""
