import { ROLES, type Role } from '../api/types.js';

/** Roles are ordered (viewer < operator < admin); each may do what the ones below it may. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
