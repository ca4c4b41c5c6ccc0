import { RuleEditor } from './rule-editor';

export const metadata = { title: 'New rule' };

export default function NewRulePage() {
  return <RuleEditor />;
}
