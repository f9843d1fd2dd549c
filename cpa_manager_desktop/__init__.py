"""CPA Manager Desktop: a usage collector and management panel host for CLIProxyAPI."""

__version__ = "0.1.0"
SERVICE_ID = "cpa-manager"
