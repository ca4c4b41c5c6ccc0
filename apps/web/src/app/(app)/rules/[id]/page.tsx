import { RuleEditor } from '../new/rule-editor';

export const metadata = { title: 'Edit rule' };

export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <RuleEditor ruleId={id} />;
}
