/**
 * The demo city's staff, one per role, made in demo mode only (`npm start`, `INTAKE_DEMO=1`,
 * `demoAccounts: true`) and listed on the landing page (demo/index.html). Their passwords are
 * public: never run demo mode where real people's requests arrive.
 */
import type { Role } from '../staff/identity.js';

export interface DemoAccount {
  login: string;
  password: string;
  displayName: string;
  role: Role;
  departmentId: string | null;
  siteId: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { login: 'dispatcher', password: 'demo-dispatcher', displayName: '张敏', role: 'dispatcher', departmentId: null, siteId: null },
  { login: 'market', password: 'demo-market', displayName: '王磊', role: 'department', departmentId: 'market-regulation', siteId: null },
  { login: 'sanitation', password: 'demo-sanitation', displayName: '刘洋', role: 'department', departmentId: 'sanitation', siteId: null },
  { login: 'xinhua', password: 'demo-xinhua', displayName: '陈静', role: 'site', departmentId: null, siteId: 'riverside/xinhua' },
  { login: 'supervisor', password: 'demo-supervisor', displayName: '赵刚', role: 'supervisor', departmentId: null, siteId: null },
  { login: 'admin', password: 'demo-admin', displayName: '孙丽', role: 'administrator', departmentId: null, siteId: null },
];

/** In demo mode the pre-issued staff token (the console link of `npm start`) signs in as this account. */
export const DEMO_TOKEN_LOGIN = 'dispatcher';
