// Imported first by the zone tests: a zone with an offset and daylight saving time, to check local-time handling.
process.env.TZ = 'Europe/Berlin';
