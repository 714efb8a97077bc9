"""What people read, written from records: instructions, changelog, feeds, the site and the run's report. Pure functions of records; files go out only through monitor.guard.files."""
