import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/common';
import { APP_CONFIG, AppConfig } from '@app/config';

/** Feature flag ECF_STATELESS_ISSUE_ENABLED (guide §10): when off, the route does not exist. */
@Injectable()
export class StatelessIssueEnabledGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.ecfStatelessIssueEnabled) throw new NotFoundError('no such route');
    return true;
  }
}
