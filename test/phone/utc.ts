// Imported first by tests whose expected times assume UTC: formats read zone-less stamps in the process's zone.
process.env.TZ = 'UTC';
export {};
