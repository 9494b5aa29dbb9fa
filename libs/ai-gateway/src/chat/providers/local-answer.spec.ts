import { answerFromPassages, LocalChatProvider, LOCAL_MARKER } from './local-chat.provider';

const prompt = `Knowledge-base passages:

[1] Reset your password › From the sign-in page
Click Forgot password? below the sign-in form.
Enter the email address you signed up with.

[2] Reset your password › If the email does not arrive
Check your spam folder. Links expire after 30 minutes; request a new one if yours has.

Question: My reset email does not arrive, what should I check?`;

describe('local provider, answer feature', () => {
  it('answers with the passages’ sentences that share the question’s words, each citing its passage', () => {
    expect(answerFromPassages(prompt)).toBe('Enter the email address you signed up with. [1] Check your spam folder. [2]');
  });

  it('falls back to the opening of passage 1 when no sentence shares a word', () => {
    expect(answerFromPassages(prompt.replace(/Question: .*$/, 'Question: zzz'))).toBe('Click Forgot password? below the sign-in form. [1] Enter the email address you signed up with. [1]');
  });

  it('has no answer of its own without numbered passages', () => {
    expect(answerFromPassages('Question: anything?')).toBeNull();
  });

  it('marks the answer as extractive through the provider', async () => {
    const result = await new LocalChatProvider().complete({ model: 'local', feature: 'answer', messages: [{ role: 'system', content: 'Cite [n].' }, { role: 'user', content: prompt }] });
    expect(result.extractive).toBe(true);
    expect(result.text.startsWith(`${LOCAL_MARKER}\n`)).toBe(true);
    expect(result.text).toContain('[2]');
  });
});
