import { OncallView } from './oncall-view';

export const metadata = { title: 'On-call' };

export default function OncallPage() {
  return <OncallView />;
}
