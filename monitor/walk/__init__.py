"""The browser edge: launching Chromium and walking a journey, one Observation per step."""
