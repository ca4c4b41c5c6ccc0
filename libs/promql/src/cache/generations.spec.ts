import { coalescedBumps } from './generations';

/** A bump whose Redis round trip the test finishes by hand. */
function manualBumps() {
  const sent: Array<{ orgId: string; finish: (err?: Error) => void }> = [];
  const bump = (orgId: string) =>
    new Promise<void>((resolve, reject) =>
      sent.push({ orgId, finish: (err) => (err ? reject(err) : resolve()) }),
    );
  return { sent, bump };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('coalescedBumps', () => {
  it('sends one bump at once, and one more for every caller who asked while it was out', async () => {
    const { sent, bump } = manualBumps();
    const onLateWrite = coalescedBumps(bump);
    const done: string[] = [];
    void onLateWrite('org').then(() => done.push('a'));
    expect(sent).toHaveLength(1);
    // b and c committed after the first bump was sent: it cannot cover them.
    void onLateWrite('org').then(() => done.push('b'));
    void onLateWrite('org').then(() => done.push('c'));
    expect(sent).toHaveLength(1);
    sent[0].finish();
    await tick();
    expect(done).toEqual(['a']);
    expect(sent).toHaveLength(2);
    sent[1].finish();
    await tick();
    expect(done).toEqual(['a', 'b', 'c']);
    // Nothing in flight: the next caller's bump goes out at once.
    void onLateWrite('org');
    expect(sent).toHaveLength(3);
  });

  it('never lets a caller join a bump sent before it asked', async () => {
    const { sent, bump } = manualBumps();
    const onLateWrite = coalescedBumps(bump);
    void onLateWrite('org');
    const b = onLateWrite('org');
    sent[0].finish();
    await tick();
    // The second bump is out; d asks now and must wait for a third.
    let dDone = false;
    void onLateWrite('org').then(() => (dDone = true));
    sent[1].finish();
    await b;
    await tick();
    expect(dDone).toBe(false);
    expect(sent).toHaveLength(3);
    sent[2].finish();
    await tick();
    expect(dDone).toBe(true);
  });

  it('keeps organizations apart and hands a failure to the callers of that bump only', async () => {
    const { sent, bump } = manualBumps();
    const onLateWrite = coalescedBumps(bump);
    const a = onLateWrite('a');
    const b = onLateWrite('b');
    expect(sent.map((s) => s.orgId)).toEqual(['a', 'b']);
    const a2 = onLateWrite('a');
    sent[0].finish(new Error('redis down'));
    await expect(a).rejects.toThrow('redis down');
    await tick();
    // The failed bump still let the next one go.
    expect(sent.map((s) => s.orgId)).toEqual(['a', 'b', 'a']);
    sent[2].finish();
    await expect(a2).resolves.toBeUndefined();
    sent[1].finish();
    await expect(b).resolves.toBeUndefined();
  });
});
