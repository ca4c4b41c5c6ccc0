import { SilencesView } from './silences-view';

export const metadata = { title: 'Silences' };

export default function SilencesPage() {
  return <SilencesView />;
}
