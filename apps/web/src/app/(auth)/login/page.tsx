import { safeNextPath } from '../../../lib/format';
import { LoginForm } from './login-form';

export const metadata = { title: 'Log in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next } = await searchParams;
  return <LoginForm next={safeNextPath(typeof next === 'string' ? next : undefined)} />;
}
