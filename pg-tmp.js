const { startEmbeddedPostgres } = require('/work/main/dist/libs/platform/src/database/embedded/embedded-postgres.js');
startEmbeddedPostgres({ dataDir: process.argv[2], port: Number(process.argv[3]) }).then(pg => console.log('PG', pg.url));
