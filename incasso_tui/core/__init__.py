"""Foundations every layer may use: config, paths, state, clock, money, errors, log, files."""
