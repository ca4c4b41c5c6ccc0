import Link from 'next/link';
import { ErrorMessage } from '../../../components/error-message';
import { toApiError, type ApiError } from '../../../graphql/client';
import {
  INVITATION_PREVIEW_QUERY,
  type InvitationPreview,
  type Me,
} from '../../../graphql/operations';
import { getMe, serverRequest } from '../../../graphql/server-api';
import { AcceptInvitation } from './accept-invitation';

export const metadata = { title: 'Invitation' };
export const dynamic = 'force-dynamic';

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let preview: InvitationPreview | undefined;
  let previewError: ApiError | undefined;
  try {
    preview = (await serverRequest(INVITATION_PREVIEW_QUERY, { token })).invitationPreview;
  } catch (caught) {
    previewError = toApiError(caught);
  }
  // Being logged out is an ordinary state here: the page offers to create an account instead.
  let me: Me | null = null;
  try {
    me = await getMe();
  } catch {
    me = null;
  }

  return (
    <main className="centered">
      <div className="auth">
        <Link href="/" className="brand brand-large">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Tocsin
        </Link>
        <div className="card">
          {preview ? (
            <AcceptInvitation token={token} preview={preview} me={me} />
          ) : (
            <>
              <h1>This invitation cannot be used</h1>
              <ErrorMessage error={previewError} hints={{ NOT_FOUND: '' }} />
              <p className="muted">
                Invitations expire and can be revoked. Ask the person who invited you for a new
                link.
              </p>
            </>
          )}
        </div>
      </div>
    </main>
  );
}
