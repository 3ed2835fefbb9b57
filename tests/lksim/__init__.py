"""lksim: a LifeKeeper for Linux look-alike for testing hatools.lifekeeper.

Standard-library Python only (python3 >= 3.9); it runs inside minimal containers.
See README.md for the command line and ASSUMPTIONS.md for undocumented behaviour.
"""
__version__ = "0.1.0"
