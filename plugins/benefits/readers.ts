/** Who reads benefits: civil affairs, and finance and the bank (they pay them; they change nothing). */
export const BENEFIT_READERS = ['admin', 'reviewer', 'finance', 'bank', 'viewer'] as const;

/** Whether someone with these roles may read benefits (in their own subtree). */
export const readsBenefits = (roles: readonly string[] | undefined): boolean =>
  (roles ?? []).some((r) => (BENEFIT_READERS as readonly string[]).includes(r));
