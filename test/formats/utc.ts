// Imported first by zone-sensitive tests: runs the process in UTC so that zone-less stamps read the same everywhere.
process.env.TZ = 'UTC';
