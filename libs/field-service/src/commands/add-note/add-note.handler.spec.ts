import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, fakeRepositories } from '../../testing/fakes';
import { AddNoteCommand } from './add-note.command';
import { AddNoteHandler } from './add-note.handler';

function setup(job = aJob()) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job);
  repos.jobs.addNote.mockResolvedValue({ id: 'n1', jobId: 'j1', authorId: testContext().actorId, body: 'Old boiler', createdAt: '2026-12-01T08:00:00.000Z' } as never);
  const handler = new AddNoteHandler(tx.asTenantTransaction(), repos.as.jobs);
  return { tx, repos, add: (body: string) => handler.execute(new AddNoteCommand(testContext(), 'j1', body)) };
}

describe('AddNoteHandler', () => {
  it('adds the note with history (shortened) and audit', async () => {
    const { tx, repos, add } = setup();
    expect(await add('x'.repeat(300))).toMatchObject({ id: 'n1' });
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', null, 'note.added', { 'note:n1': { to: `${'x'.repeat(200)}…` } });
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.note_added']);
  });

  it('refuses a note on a completed job', async () => {
    const { repos, add } = setup(aJob({ status: 'completed' }));
    await expect(add('late')).rejects.toMatchObject({ problem: { status: 409, type: 'job-closed' } });
    expect(repos.jobs.addNote).not.toHaveBeenCalled();
  });
});
