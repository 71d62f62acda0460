"""The package version, importable from every layer (the faces re-export it as optimizer.__version__)."""

__version__ = "0.1.0"
