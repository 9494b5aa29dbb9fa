import { fakeS3 } from '../../test/support/fake-s3';

/** The loopback S3 fake in a process of its own (so it does not share the measured process's CPU); prints its endpoint. */
void fakeS3(['bench']).then((s3) => {
  process.stdout.write(`${s3.endpoint}\n`);
  process.on('SIGTERM', () => void s3.close().then(() => process.exit(0)));
});
