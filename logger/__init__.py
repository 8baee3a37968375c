"""The instrument-PC logger: records a microscope session and sends its files to the LIMS."""
__version__ = "1.0.0"
