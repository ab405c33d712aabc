import { useEffect, useMemo, useState } from 'react';
import { triageApi, type UserRef } from '../../api-disclosure-triage';
import { useUser } from '../../session';

/**
 * The people a report can be assigned to (the triage API's list of active owners, admins and security
 * users), plus anyone already named as an assignee and the signed-in user, so a name is always there to
 * show even when the list cannot be loaded. Sorted by name, each once.
 */
export function useTriageTeam(known: (UserRef | null | undefined)[]): UserRef[] {
  const user = useUser();
  const [listed, setListed] = useState<UserRef[]>([]);

  useEffect(() => {
    let current = true;
    triageApi
      .assignees()
      .then((page) => {
        if (current) setListed(page.items);
      })
      // Without the list, the choice is still "me" and the people already assigned.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);

  const knownKey = known.map((ref) => ref?.id ?? '').join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `knownKey` stands for `known`'s content.
  return useMemo(() => {
    const byId = new Map<string, UserRef>();
    for (const ref of [...listed, ...known, { id: user.id, name: user.name, email: user.email }]) {
      if (ref && !byId.has(ref.id)) byId.set(ref.id, ref);
    }
    return [...byId.values()].sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
  }, [user.id, user.name, user.email, listed, knownKey]);
}
