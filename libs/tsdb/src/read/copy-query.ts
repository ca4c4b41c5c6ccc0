/**
 * A simple-protocol query for node-postgres (a "submittable": `client.query(q)` then
 * `await q.done`) whose text may hold several statements, one of them a `COPY … TO STDOUT`:
 * the COPY's data is handed to `onData` message by message as it arrives, and the other
 * statements' results are ignored. Several statements in one simple query run as one implicit
 * transaction, so `SET TRANSACTION READ ONLY; SELECT set_config(…, true); COPY (…) TO STDOUT`
 * scopes a read to an organization in one round trip, with no BEGIN or COMMIT to wait for: the
 * transaction ends with the message, and an error rolls it back.
 *
 * `onData` gets a view of node-postgres' read buffer, which is reused once it returns: keep a
 * copy of anything held longer. If it throws, the rest of the COPY is still read (the
 * connection must not be left in the middle of it) and `done` rejects with that error.
 */
export class CopyQuery {
  readonly done: Promise<void>;
  private settle!: (err?: unknown) => void;
  private failure: unknown;
  private failed = false;

  constructor(
    readonly text: string,
    private readonly onData: (piece: Buffer) => void,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (err?: unknown) => (err === undefined ? resolve() : reject(err));
    });
  }

  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.failed) return;
    try {
      this.onData(msg.chunk);
    } catch (err) {
      this.failed = true;
      this.failure = err;
    }
  }

  /** PostgreSQL refused a statement: the implicit transaction is rolled back, nothing else runs. */
  handleError(err: unknown): void {
    this.settle(err);
  }

  handleReadyForQuery(): void {
    this.settle(this.failed ? this.failure : undefined);
  }

  handleCopyInResponse(connection: { sendCopyFail(msg: string): void }): void {
    connection.sendCopyFail('CopyQuery only reads');
  }

  // Results of the statements around the COPY, and protocol events a simple query may see.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}
