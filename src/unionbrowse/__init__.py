"""unionbrowse: find, read and cite the figures in news reports on the work of Chinese trade unions."""

__version__ = "0.1.0"
