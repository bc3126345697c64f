"""Private Copilot: a desktop copilot that runs gpt-oss-20b entirely on this machine."""

__version__ = "0.1.0"
APP_NAME = "Private Copilot"
