import { RulesView } from './rules-view';

export const metadata = { title: 'Rules' };

export default function RulesPage() {
  return <RulesView />;
}
