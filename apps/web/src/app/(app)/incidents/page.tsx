import { IncidentsView } from './incidents-view';

export const metadata = { title: 'Incidents' };

export default function IncidentsPage() {
  return <IncidentsView />;
}
