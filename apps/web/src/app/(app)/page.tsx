import Link from 'next/link';
import { HomeOverview } from '../../components/home/home-overview';
import { getMe } from '../../graphql/server-api';
import { formatDate } from '../../lib/format';
import { canManageApiKeys, canManageMembers, ROLE_LABELS } from '../../lib/permissions';

export const metadata = { title: 'Home' };

export default async function HomePage() {
  const me = await getMe();
  const organization = me.currentOrganization;

  if (!organization) {
    return (
      <>
        <h1>Welcome, {me.user.name}</h1>
        <div className="callout">
          <p>You are not a member of any organization yet.</p>
          <p className="muted">
            Ask an owner or admin of your team to send you an invitation link, then open it while
            logged in.
          </p>
        </div>
      </>
    );
  }

  return (
    <>
      <div className="page-header">
        <h1>{organization.name}</h1>
        <p className="muted">
          Organization <code>{organization.slug}</code> · created{' '}
          {formatDate(organization.createdAt, me.user.timeZone)} · you are{' '}
          {me.role ? ROLE_LABELS[me.role].toLowerCase() : 'a member'}
        </p>
      </div>

      <HomeOverview />

      <section className="card" aria-labelledby="first-steps">
        <h2 id="first-steps">First steps</h2>
        <ol className="steps">
          <li>
            <h3>Create an API key</h3>
            <p>
              Agents, Prometheus <code>remote_write</code> and scripts authenticate with an API key.
              Create one with the <strong>Ingest</strong> scope to start sending metrics.
            </p>
            {canManageApiKeys(me.role) ? (
              <Link className="button button-primary" href="/settings/api-keys">
                Create an API key
              </Link>
            ) : (
              <p className="muted">Ask an owner or admin to create one for you.</p>
            )}
          </li>
          <li>
            <h3>Invite your team</h3>
            <p>Everyone who responds to alerts needs an account in this organization.</p>
            {canManageMembers(me.role) ? (
              <Link className="button" href="/settings/members">
                Invite members
              </Link>
            ) : (
              <p className="muted">Owners and admins can invite people.</p>
            )}
          </li>
        </ol>
      </section>
    </>
  );
}
