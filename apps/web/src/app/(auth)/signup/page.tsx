import { SignupForm } from './signup-form';

export const metadata = { title: 'Sign up' };

export default function SignupPage() {
  return <SignupForm />;
}
