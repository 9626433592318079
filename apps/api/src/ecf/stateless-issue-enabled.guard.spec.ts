import { NotFoundError } from '@app/common';
import type { AppConfig } from '@app/config';
import { StatelessIssueEnabledGuard } from './stateless-issue-enabled.guard';

const guardWith = (ecfStatelessIssueEnabled: boolean) =>
  new StatelessIssueEnabledGuard({ ecfStatelessIssueEnabled } as unknown as AppConfig);

describe('StatelessIssueEnabledGuard (ECF_STATELESS_ISSUE_ENABLED, guide §10)', () => {
  it('lets the request through when the flag is on', () => {
    expect(guardWith(true).canActivate()).toBe(true);
  });

  it('answers NOT_FOUND when the flag is off, as if the route did not exist', () => {
    expect(() => guardWith(false).canActivate()).toThrow(NotFoundError);
    expect(() => guardWith(false).canActivate()).toThrow('no such route');
  });
});
