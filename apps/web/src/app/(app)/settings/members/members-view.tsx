'use client';

import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../../components/confirm-button';
import { CopyField } from '../../../../components/copy-field';
import { ErrorMessage } from '../../../../components/error-message';
import { useMe } from '../../../../components/me-context';
import { useMutation, useQuery } from '../../../../graphql/hooks';
import {
  CHANGE_MEMBER_ROLE,
  INVITATIONS_QUERY,
  INVITE_MEMBER,
  MEMBERS_QUERY,
  REMOVE_MEMBER,
  REVOKE_INVITATION,
  type InvitationLink,
  type Member,
  type Role,
} from '../../../../graphql/operations';
import { formatDate, formatDateTime } from '../../../../lib/format';
import { assignableRoles, canManageMembers, ROLE_LABELS } from '../../../../lib/permissions';

export function MembersView() {
  const me = useMe();
  const manage = canManageMembers(me.role);
  const members = useQuery(MEMBERS_QUERY, {});
  const invitations = useQuery(INVITATIONS_QUERY, {}, { skip: !manage });

  return (
    <>
      <div className="page-header">
        <h1>Members</h1>
        <p className="muted">
          People in {me.currentOrganization?.name ?? 'this organization'} and what they may do.
        </p>
      </div>
      {manage ? <InviteForm onInvited={invitations.reload} /> : null}
      <MemberTable
        members={members.data?.members}
        loading={members.loading}
        reload={members.reload}
        manage={manage}
      />
      <ErrorMessage error={members.error} title="Could not load members" />
      {manage ? (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading">Pending invitations</h2>
          <ErrorMessage error={invitations.error} title="Could not load invitations" />
          <PendingInvitations
            invitations={invitations.data?.invitations.filter((i) => !i.acceptedAt)}
            loading={invitations.loading}
            reload={invitations.reload}
          />
        </section>
      ) : null}
    </>
  );
}

function InviteForm({ onInvited }: { onInvited: () => Promise<void> }) {
  const me = useMe();
  const roles = assignableRoles(me.role);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('RESPONDER');
  const [link, setLink] = useState<InvitationLink>();
  const invite = useMutation(INVITE_MEMBER);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await invite.run({ input: { email: email.trim(), role } });
    if (result) {
      setLink(result.inviteMember);
      setEmail('');
      await onInvited();
    }
  }

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a member</h2>
      <form className="form form-inline" onSubmit={submit}>
        <div className="field grow">
          <label htmlFor="invite-email">Email</label>
          <input
            id="invite-email"
            type="email"
            required
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-primary" disabled={invite.pending}>
          {invite.pending ? 'Creating link…' : 'Create invitation link'}
        </button>
      </form>
      <ErrorMessage error={invite.error} title="Could not invite" />
      {link ? (
        <div className="callout callout-success" role="status">
          <p className="callout-title">
            Invitation for {link.invitation.email} created. Send them this link; it works once and
            expires {formatDateTime(link.invitation.expiresAt, me.user.timeZone)}.
          </p>
          <CopyField label="Invitation link" value={link.url} testId="invitation-url" />
        </div>
      ) : null}
    </section>
  );
}

function MemberTable({
  members,
  loading,
  reload,
  manage,
}: {
  members: Member[] | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  manage: boolean;
}) {
  const me = useMe();
  const change = useMutation(CHANGE_MEMBER_ROLE);
  const remove = useMutation(REMOVE_MEMBER);
  const roles = assignableRoles(me.role);

  if (!members) return loading ? <p className="muted">Loading members…</p> : null;
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">
        {members.length} {members.length === 1 ? 'member' : 'members'}
      </h2>
      {members.length === 1 && manage ? (
        <p className="muted">It is just you so far. Invite the people who respond to alerts.</p>
      ) : null}
      <ErrorMessage error={change.error} title="Could not change the role" />
      <ErrorMessage error={remove.error} title="Could not remove the member" />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {manage ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const self = member.user.id === me.user.id;
              // An admin cannot demote or remove an owner; only offer what the api would allow.
              const editable = manage && !self && (me.role === 'OWNER' || member.role !== 'OWNER');
              return (
                <tr key={member.user.id}>
                  <td>
                    {member.user.name}
                    {self ? <span className="badge">You</span> : null}
                  </td>
                  <td>{member.user.email}</td>
                  <td>
                    {editable ? (
                      <>
                        <label htmlFor={`role-${member.user.id}`} className="visually-hidden">
                          Role of {member.user.name}
                        </label>
                        <select
                          id={`role-${member.user.id}`}
                          value={member.role}
                          disabled={change.pending}
                          onChange={async (e) => {
                            if (
                              await change.run({
                                userId: member.user.id,
                                role: e.target.value as Role,
                              })
                            )
                              await reload();
                          }}
                        >
                          {(roles.includes(member.role) ? roles : [member.role, ...roles]).map(
                            (r) => (
                              <option key={r} value={r}>
                                {ROLE_LABELS[r]}
                              </option>
                            ),
                          )}
                        </select>
                      </>
                    ) : (
                      ROLE_LABELS[member.role]
                    )}
                  </td>
                  <td>{formatDate(member.joinedAt, me.user.timeZone)}</td>
                  {manage ? (
                    <td className="actions">
                      {editable ? (
                        <ConfirmButton
                          label="Remove"
                          confirmLabel="Remove member"
                          accessibleName={`Remove ${member.user.name}`}
                          onConfirm={async () => {
                            if (await remove.run({ userId: member.user.id })) await reload();
                          }}
                        />
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PendingInvitations({
  invitations,
  loading,
  reload,
}: {
  invitations:
    { id: string; email: string; role: Role; expiresAt: string; createdAt: string }[] | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}) {
  const me = useMe();
  const revoke = useMutation(REVOKE_INVITATION);
  if (!invitations) return loading ? <p className="muted">Loading invitations…</p> : null;
  if (invitations.length === 0) {
    return (
      <p className="empty">
        No pending invitations. Invite someone above; they appear here until they accept.
      </p>
    );
  }
  return (
    <>
      <ErrorMessage error={revoke.error} title="Could not revoke the invitation" />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{ROLE_LABELS[invitation.role]}</td>
                <td>{formatDate(invitation.createdAt, me.user.timeZone)}</td>
                <td>{formatDateTime(invitation.expiresAt, me.user.timeZone)}</td>
                <td className="actions">
                  <ConfirmButton
                    label="Revoke"
                    confirmLabel="Revoke invitation"
                    accessibleName={`Revoke invitation for ${invitation.email}`}
                    onConfirm={async () => {
                      if (await revoke.run({ id: invitation.id })) await reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
