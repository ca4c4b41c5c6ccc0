import { MembersView } from './members-view';

export const metadata = { title: 'Members' };

export default function MembersPage() {
  return <MembersView />;
}
