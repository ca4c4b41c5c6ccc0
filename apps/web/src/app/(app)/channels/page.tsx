import { ChannelsView } from './channels-view';

export const metadata = { title: 'Channels' };

export default function ChannelsPage() {
  return <ChannelsView />;
}
