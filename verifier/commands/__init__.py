"""Subcommand implementations that grew past cli.py: quotes and exchange."""
