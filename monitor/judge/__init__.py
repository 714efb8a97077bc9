"""Judging a walk: an Observation against its baseline becomes a Change with a verdict. Pure functions of records."""
